"""Safe writes under concurrency, retries and bad input: ETags, idempotency keys, limits, throttles,
history, archiving, and the production settings check."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import override_settings

from ladder import services
from ladder.models import ChangeRecord, Company, IdempotencyRecord, Level, TitleAlias
from tests.conftest import key_client
from tests.factories import make_key

DOC_URL = "/api/v1/companies/{}/ladders/product-management/"
LADDER = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
        {"title": "Group Product Manager", "code": "L6", "track": "management", "reference_level": "group-pm"},
    ]
}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)


@pytest.fixture
def ladder_url(write_client, company, framework):
    url = DOC_URL.format(company.slug)
    assert write_client.put(url, LADDER, format="json").status_code == 201
    return url


# --- ETags and conditional requests ---------------------------------------------------------------


def test_get_gives_an_etag_and_if_none_match_answers_304(write_client, ladder_url, company):
    level = Level.objects.get(code="L5")
    alias = TitleAlias.objects.get(title="PM")
    for url in (
        ladder_url,
        f"/api/v1/companies/{company.slug}/",
        f"/api/v1/levels/{level.pk}/",
        f"/api/v1/aliases/{alias.pk}/",
    ):
        first = write_client.get(url)
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"'), url
        again = write_client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and not again.content, url
        assert write_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_stale_if_match_is_412_and_changes_nothing(write_client, ladder_url, company):
    etag = write_client.get(ladder_url)["ETag"]
    body = write_client.get(ladder_url).json()
    body["levels"][0]["description"] = "first writer"
    ok = write_client.put(ladder_url, body, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    body["levels"][0]["description"] = "second writer, stale"
    stale = write_client.put(ladder_url, body, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert stale["ETag"] == ok["ETag"]
    assert write_client.get(ladder_url).json()["levels"][0]["description"] == "first writer"


@pytest.mark.parametrize("kind", ["company", "level", "alias"])
def test_if_match_on_patch_and_delete(write_client, ladder_url, company, kind):
    url = {
        "company": f"/api/v1/companies/{company.slug}/",
        "level": f"/api/v1/levels/{Level.objects.get(code='L6').pk}/",
        "alias": f"/api/v1/aliases/{TitleAlias.objects.get(title='PM').pk}/",
    }[kind]
    change = {"company": {"name": "Renamed"}, "level": {"description": "x"}, "alias": {"title": "Prod Mgr"}}[kind]
    etag = write_client.get(url)["ETag"]
    assert write_client.patch(url, change, format="json", HTTP_IF_MATCH='"nope"').status_code == 412
    updated = write_client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200
    assert write_client.delete(url, HTTP_IF_MATCH=etag).status_code == 412  # the old ETag is stale now
    assert write_client.delete(url, HTTP_IF_MATCH=updated["ETag"]).status_code == 204


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_never_lose_an_update(framework, org, company):
    """Two clients read-modify-write one ladder with If-Match, 200 rounds each."""
    url = DOC_URL.format(company.slug)
    _, key = make_key(org)
    assert key_client(key).put(url, LADDER, format="json").status_code == 201
    outcomes: dict[str, list] = {"A": [], "B": []}
    barrier = threading.Barrier(2)

    def writer(name: str) -> None:
        client = key_client(key)
        barrier.wait()
        try:
            for round_no in range(200):
                read = client.get(url)
                body = read.json()
                title = f"Writer {name} round {round_no}"
                body["levels"][round_no % 3]["aliases"].append(title)
                response = client.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
                assert response.status_code in (200, 412), response.content[:300]
                outcomes[name].append((title, response.status_code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes["A"]) == len(outcomes["B"]) == 200
    won = {title for results in outcomes.values() for title, status in results if status == 200}
    lost = [title for results in outcomes.values() for title, status in results if status == 412]
    final = key_client(key).get(url).json()
    final_aliases = {a["title"] for lv in final["levels"] for a in lv["aliases"]} - {"PM", "Sr. PM"}
    assert final_aliases == won  # every successful write is there, nothing else
    recorded = set(
        ChangeRecord.objects.filter(object_type="alias", action="create").values_list("after__title", flat=True)
    ) - {"PM", "Sr. PM"}
    assert recorded == won
    assert len(won) + len(lost) == 400
    assert final["version"] == 1 + len(won)


# --- Fault in the middle of a bulk write ----------------------------------------------------------


def _install_fault_trigger(title: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION pmladder_test_fault() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER pmladder_test_fault BEFORE INSERT OR UPDATE ON ladder_level "
                "FOR EACH ROW EXECUTE FUNCTION pmladder_test_fault()"
            )
        else:
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER pmladder_test_fault_{event.lower()} BEFORE {event} ON ladder_level "
                    f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                )


def test_a_fault_mid_document_leaves_the_ladder_and_history_untouched(write_client, company, framework):
    url = DOC_URL.format(company.slug)
    body = {"levels": [{"title": f"Role {i}", "code": f"R{i}", "reference_level": "pm"} for i in range(1000)]}
    assert write_client.put(url, body, format="json").status_code == 201
    before = write_client.get(url).json()
    history = ChangeRecord.objects.count()
    _install_fault_trigger("Role 537 poisoned")
    for i, level in enumerate(body["levels"]):
        level["title"] = f"Role {i} renamed" if i != 537 else "Role 537 poisoned"
    response = write_client.put(url, body, format="json")
    assert response.status_code in (409, 500)
    assert response.json()["status"] == response.status_code
    assert write_client.get(url).json() == before
    assert ChangeRecord.objects.count() == history


# --- Idempotent creates ---------------------------------------------------------------------------


def test_replayed_create_returns_the_same_response_and_one_row(write_client, org):
    body = {"slug": "retry-co", "name": "Retry Co"}
    first = write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Company.objects.filter(slug="retry-co").count() == 1
    other = write_client.post(
        "/api/v1/companies/", {"slug": "retry-co-2", "name": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert not Company.objects.filter(slug="retry-co-2").exists()


def test_a_failed_create_releases_its_key(write_client, org):
    bad = write_client.post("/api/v1/companies/", {"slug": "x y"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.filter(key="k-2").exists()
    fixed = write_client.post(
        "/api/v1/companies/", {"slug": "x-y", "name": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert fixed.status_code == 201


def test_keys_belong_to_their_caller_and_expire(write_client, other_write_client, org):
    body = {"slug": "shared-key", "name": "S"}
    assert write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201
    body2 = {"slug": "shared-key-2", "name": "S"}
    response = other_write_client.post("/api/v1/companies/", body2, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 201  # another caller's key space
    from datetime import timedelta

    from django.utils import timezone

    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    body3 = {"slug": "shared-key-3", "name": "S"}
    assert write_client.post("/api/v1/companies/", body3, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


def test_invalid_idempotency_key_is_400(write_client, org):
    response = write_client.post(
        "/api/v1/companies/", {"slug": "k", "name": "K"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "Idempotency-Key"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_row(org):
    _, key = make_key(org)
    body = {"slug": "race-co", "name": "Race"}
    barrier = threading.Barrier(6)

    def send(_):
        client = key_client(key)
        barrier.wait()
        try:
            response = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="race")
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(send, range(6)))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {201, 409}, results
    assert statuses.count(201) >= 1
    assert Company.objects.filter(slug="race-co").count() == 1
    assert len({body["id"] for status, body in results if status == 201}) == 1


# --- Limits and throttles -------------------------------------------------------------------------


def test_limits_answer_in_the_error_shape(write_client, company, framework):
    too_many = {"levels": [{"title": f"R{i}", "code": f"R{i}", "reference_level": "pm"} for i in range(1001)]}
    response = write_client.put(DOC_URL.format(company.slug), too_many, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "levels"
    body = b'{"titles": ["' + b"x" * (5 * 1024 * 1024) + b'"]}'
    big = write_client.generic("POST", "/api/v1/translate", body, content_type="application/json")
    assert big.status_code == 413 and big.json()["code"] == "request_too_large"


@pytest.fixture
def low_rates():
    cache.clear()
    with override_settings(PMLADDER_THROTTLE_RATES={"read": "3/min", "write": "2/min", "bulk": "1/min"}):
        yield
    cache.clear()


def test_throttles_answer_429_with_retry_after(read_client, write_client, company, low_rates):
    for _ in range(3):
        assert read_client.get("/api/v1/companies/").status_code == 200
    limited = read_client.get("/api/v1/companies/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    # Limits are per key: another key of the same organization is not affected.
    assert write_client.get("/api/v1/companies/").status_code == 200


def test_bulk_translation_has_its_own_lower_limit(demo, low_rates):
    from ladder.models import Organization

    client = key_client(make_key(Organization.objects.get(slug="demo"))[1])
    body = {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
    assert client.post("/api/v1/translate", body, format="json").status_code == 200
    assert client.post("/api/v1/translate", body, format="json").status_code == 429
    single = client.get("/api/v1/translate", {"source": "globex", "target": "parallax", "title": "Sr. PM"})
    assert single.status_code == 200


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
)
def test_requests_succeed_when_the_cache_is_down(demo):
    """Redis unreachable: throttles step aside and translations are built from the database."""
    from ladder.models import Organization
    from ladder.translation.cache import local_snapshots

    local_snapshots.clear()
    client = key_client(make_key(Organization.objects.get(slug="demo"))[1])
    response = client.get("/api/v1/translate", {"source": "globex", "target": "parallax", "title": "Sr. PM"})
    assert response.status_code == 200
    assert response.json()["results"][0]["target_level"]["code"] == "L5"
    assert client.get("/api/v1/companies/").status_code == 200


# --- History and archiving ------------------------------------------------------------------------


def test_every_change_is_in_the_history_with_who_and_request_id(write_client, ladder_url, company, org):
    body = write_client.get(ladder_url).json()
    body["levels"][1]["description"] = "Owns a product area."
    write_client.put(ladder_url, body, format="json", HTTP_X_REQUEST_ID="req-42")
    history = write_client.get(f"/api/v1/companies/{company.slug}/history/").json()
    latest = history["results"][0]
    assert latest["action"] == "update" and latest["object_type"] == "level"
    assert latest["before"] == {"description": ""}
    assert latest["after"] == {"description": "Owns a product area."}
    assert latest["actor"] == "api-key:test"
    assert latest["request_id"] == "req-42"
    creations = [r for r in history["results"] if r["action"] == "create"]
    assert {r["object_type"] for r in creations} == {"ladder", "level", "alias"}
    level = Level.objects.get(code="L5")
    level_history = write_client.get(f"/api/v1/levels/{level.pk}/history/").json()["results"]
    assert [r["action"] for r in level_history] == ["update", "create", "create"]  # level + its alias
    only_levels = write_client.get(f"/api/v1/companies/{company.slug}/history/?object_type=level").json()
    assert {r["object_type"] for r in only_levels["results"]} == {"level"}


def test_history_is_for_the_owning_organization(world_public, other_write_client, read_client):
    response = read_client.get(f"/api/v1/companies/{world_public.slug}/history/")
    assert response.status_code == 403
    assert other_write_client.get(f"/api/v1/companies/{world_public.slug}/history/").status_code == 200


@pytest.fixture
def world_public(other_public_company, framework):
    services.ladder_document_put(company=other_public_company, framework=framework, levels=[])
    return other_public_company


def test_deleting_a_company_archives_it_and_restoring_brings_everything_back(write_client, ladder_url, company):
    before = write_client.get(ladder_url).json()
    counts = (Level.objects.count(), TitleAlias.objects.count())
    assert write_client.delete(f"/api/v1/companies/{company.slug}/").status_code == 204
    assert write_client.get(f"/api/v1/companies/{company.slug}/").status_code == 404
    assert write_client.get(ladder_url).status_code == 404
    assert (Level.objects.count(), TitleAlias.objects.count()) == counts
    assert ChangeRecord.objects.filter(object_type="company", action="archive").count() == 1
    services.company_restore(company=Company.objects.get(pk=company.pk))
    after = write_client.get(ladder_url).json()
    assert after == before
    assert ChangeRecord.objects.filter(object_type="company", action="restore").count() == 1


def test_admin_restore_action(client, superuser, write_client, ladder_url, company):
    write_client.delete(f"/api/v1/companies/{company.slug}/")
    client.force_login(superuser)
    response = client.post(
        "/admin/ladder/company/", {"action": "restore_selected", "_selected_action": [company.pk]}, follow=True
    )
    assert response.status_code == 200
    assert write_client.get(ladder_url).status_code == 200


def test_admin_changes_are_recorded(client, superuser, write_client, ladder_url, company):
    client.force_login(superuser)
    level = Level.objects.get(code="L6")
    data = {
        "ladder": level.ladder_id,
        "title": "Group Product Manager",
        "code": "L6",
        "track": "management",
        "rank": level.rank,
        "reference_level": level.reference_level_id,
        "anchor": level.anchor,
        "scale_from": "",
        "scale_to": "",
        "description": "Edited in the admin",
        "external_id": "",
        "is_active": "on",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/ladder/level/{level.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.filter(object_type="level", object_id=level.pk, action="update").get()
    assert record.after == {"description": "Edited in the admin"}
    assert record.actor == f"user:{superuser.username}"
    level.refresh_from_db()
    assert level.version == 2


# --- Production settings --------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_check():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pmladder_api.settings",
        DJANGO_SECRET_KEY="a-production-secret-" + "k7Qp2xVz9LmN4rT8wYb3" * 3,
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="ladders.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    missing_secret = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=missing_secret,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr

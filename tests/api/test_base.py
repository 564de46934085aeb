"""The write protocol of ``ladder.api.base`` through every view that uses it, over HTTP: ``ETag`` on reads
and writes, ``If-None-Match`` → 304, a stale ``If-Match`` → 412 (nothing changes), ``Idempotency-Key``
on creates, no lost update between two writers, a query budget that does not grow with the rows; and
the schema documents it for each conditional view by what the view is, not its name."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.urls import path
from drf_spectacular.generators import SchemaGenerator

from ladder.api.base import ConditionalView, ResourceViewSet
from ladder.api.frameworks import FrameworkViewSet
from ladder.api.ladders import LadderDocumentView
from ladder.api.versions import LadderVersionDetailView
from ladder.models import ChangeRecord, Company, Level, TitleAlias
from tests.conftest import DOC_URL, count_queries, key_client, on_postgresql
from tests.conftest import THREE_LEVELS as LADDER
from tests.factories import CompanyFactory, LadderFactory, LevelFactory, make_key
from tests.factories import ladder_with_levels as _ladder

STALE = '"stale-etag"'


def error_of(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    assert [e["field"] for e in body["errors"]] == [field], body
    return body


@pytest.fixture
def level(company, framework) -> Level:
    return LevelFactory(ladder=LadderFactory(company=company, framework=framework), title="Product Manager", rank=1)


# Each resource of ResourceViewSet: its list URL, a body that creates, another, a change, how many rows.
RESOURCES = {
    "company": (
        "/api/v1/companies/",
        lambda ctx: {"slug": "acme", "name": "Acme"},
        lambda ctx: {"slug": "acme-2", "name": "Acme 2"},
        {"name": "Acme Renamed"},
        lambda ctx: Company.objects.filter(slug__startswith="acme").count(),
        "slug",
    ),
    "level": (
        "/api/v1/levels/",
        lambda ctx: {"company": "own-co", "framework": "product-management", "title": "Staff PM", "rank": 5},
        lambda ctx: {"company": "own-co", "framework": "product-management", "title": "Group PM", "rank": 6},
        {"title": "Principal PM"},
        lambda ctx: Level.objects.filter(title__in=["Staff PM", "Group PM"]).count(),
        "id",
    ),
    "alias": (
        "/api/v1/aliases/",
        lambda ctx: {"level": ctx.pk, "title": "PM I"},
        lambda ctx: {"level": ctx.pk, "title": "PM II"},
        {"title": "PM One"},
        lambda ctx: TitleAlias.objects.filter(title__in=["PM I", "PM II"]).count(),
        "id",
    ),
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_create_read_change_delete_follow_the_protocol(write_client, level, resource):
    list_url, body, _other, change, _count, lookup = RESOURCES[resource]
    created = write_client.post(list_url, body(level), format="json")
    assert created.status_code == 201, created.content[:300]
    etag = created["ETag"]
    url = f"{list_url}{created.json()[lookup]}/"

    read = write_client.get(url)
    assert read.status_code == 200 and read["ETag"] == etag
    unchanged = write_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag and not unchanged.content
    assert write_client.get(url, HTTP_IF_NONE_MATCH=f"{STALE}, *").status_code == 304
    assert write_client.get(url, HTTP_IF_NONE_MATCH=STALE).status_code == 200

    stale = write_client.patch(url, change, format="json", HTTP_IF_MATCH=STALE)
    error_of(stale, 412, "precondition_failed", "If-Match")
    assert stale["ETag"] == etag  # the current one, to read again
    assert write_client.get(url).json() == read.json()  # nothing changed

    changed = write_client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content[:300]
    assert changed["ETag"] != etag and write_client.get(url)["ETag"] == changed["ETag"]
    assert write_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200  # the old ETag is stale

    error_of(write_client.delete(url, HTTP_IF_MATCH=etag), 412, "precondition_failed", "If-Match")
    assert write_client.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_idempotency_key_creates_once(write_client, level, resource):
    list_url, body, other, _change, count, _lookup = RESOURCES[resource]
    headers = {"HTTP_IDEMPOTENCY_KEY": f"create-{resource}-1"}
    first = write_client.post(list_url, body(level), format="json", **headers)
    assert first.status_code == 201, first.content[:300]
    replay = write_client.post(list_url, body(level), format="json", **headers)
    assert (replay.status_code, replay.json()) == (201, first.json())
    assert replay["Idempotent-Replayed"] == "true" and replay["ETag"] == first["ETag"]
    assert count(level) == 1

    reused = write_client.post(list_url, other(level), format="json", **headers)
    assert reused.json() == {
        "status": 422,
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key was used with a different request.",
        "errors": [
            {
                "code": "idempotency_key_reused",
                "message": "This Idempotency-Key was used with a different request.",
                "field": "Idempotency-Key",
            }
        ],
    }
    assert reused.status_code == 422 and count(level) == 1

    bad = write_client.post(list_url, other(level), format="json", HTTP_IDEMPOTENCY_KEY="  ")
    error_of(bad, 400, "invalid_idempotency_key", "Idempotency-Key")
    assert count(level) == 1


def test_frameworks_take_no_conditional_headers(write_client, framework):
    """Frameworks are shared reference data without ETags: the base leaves them plain."""
    response = write_client.get(f"/api/v1/frameworks/{framework.slug}/", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 200 and "ETag" not in response


@pytest.fixture
def document_url(write_client, company, framework) -> str:
    url = f"/api/v1/companies/{company.slug}/ladders/{framework.slug}/"
    put = write_client.put(url, {"levels": [{"title": "Product Manager", "reference_level": "pm"}]}, format="json")
    assert put.status_code == 201, put.content[:300]
    return url


def test_ladder_document_follows_the_protocol(write_client, document_url):
    etag = write_client.get(document_url)["ETag"]
    unchanged = write_client.get(document_url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag
    document = {"levels": [{"title": "Senior Product Manager", "reference_level": "senior-pm"}]}
    stale = write_client.put(document_url, document, format="json", HTTP_IF_MATCH=STALE)
    error_of(stale, 412, "precondition_failed", "If-Match")
    assert write_client.get(document_url)["ETag"] == etag
    written = write_client.put(document_url, document, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200 and written["ETag"] != etag
    error_of(write_client.delete(document_url, HTTP_IF_MATCH=etag), 412, "precondition_failed", "If-Match")
    assert write_client.delete(document_url, HTTP_IF_MATCH=written["ETag"]).status_code == 204


def test_ladder_version_follows_the_protocol(write_client, document_url):
    url = f"{document_url}versions/1/"
    read = write_client.get(url)
    assert read.status_code == 200
    unchanged = write_client.get(url, HTTP_IF_NONE_MATCH=read["ETag"])
    assert unchanged.status_code == 304 and unchanged["ETag"] == read["ETag"]
    assert write_client.get(url, HTTP_IF_NONE_MATCH=STALE).status_code == 200
    error_of(write_client.get(f"{document_url}versions/99/"), 404, "version_not_found", None)


# --- The schema -----------------------------------------------------------------------------------


def _operations(view) -> dict:
    """The schema's operations of ``view`` mounted at a ladder-like URL (by method)."""
    pattern = path("companies/<slug:slug>/ladders/<slug:framework>/versions/<int:number>/", view.as_view())
    schema = SchemaGenerator(patterns=[pattern]).get_schema(request=None, public=True)
    (operations,) = schema["paths"].values()
    return operations


@pytest.mark.parametrize("view", [LadderDocumentView, LadderVersionDetailView])
def test_schema_marks_conditional_views_by_what_they_are(view):
    assert issubclass(view, ConditionalView)
    # Another name, the same view: the schema still documents the conditional read and write.
    renamed = type("SomeOtherName", (view,), {})
    operations = _operations(renamed)
    get = operations["get"]
    assert "304" in get["responses"]
    assert {p["name"] for p in get["parameters"] if p["in"] == "header"} >= {"If-None-Match"}
    assert "ETag" in get["responses"]["200"]["headers"]
    for method in ("put", "delete"):
        assert "412" in operations[method]["responses"]
        assert "If-Match" in {p["name"] for p in operations[method]["parameters"]}


def test_schema_leaves_plain_views_unconditional():
    assert not FrameworkViewSet.conditional.fget(FrameworkViewSet())
    assert issubclass(FrameworkViewSet, ResourceViewSet)
    operations = _operations(type("Plain", (LadderVersionDetailView,), {"conditional": False}))
    assert "304" not in operations["get"]["responses"]
    assert "412" not in operations["put"]["responses"]


# --- ETags, If-Match and query budgets through every resource -------------------------------------


def _queries(client, url) -> int:
    response, count = count_queries(lambda: client.get(url))
    assert response.status_code == 200, response.content
    return count


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies/",
        "/api/v1/companies/{slug}/",
        "/api/v1/companies/{slug}/ladders/product-management/",
        "/api/v1/levels/",
        "/api/v1/levels/?company={slug}",
        "/api/v1/levels/{level}/",
        "/api/v1/aliases/",
        "/api/v1/aliases/{alias}/",
        "/api/v1/frameworks/",
        "/api/v1/frameworks/product-management/",
    ],
)
def test_query_count_does_not_grow_with_rows(read_client, org, framework, url):
    counts = []
    for n in (1, 50):
        Company.objects.filter(organization=org).delete()
        companies = [CompanyFactory(organization=org) for _ in range(n)]
        ladder = _ladder(companies[0], framework, n)
        level = ladder.levels.first()
        filled = url.format(slug=companies[0].slug, level=level.pk, alias=level.aliases.first().pk)
        counts.append(_queries(read_client, filled))
    assert counts[0] == counts[1], counts


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

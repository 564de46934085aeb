"""Ladder versions: every change is a version, as-of reads, scheduled versions, diffs."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladder.models import ChangeRecord, Ladder, LadderVersion, Level, LevelRevision
from ladder.translation.cache import local_snapshots

URL = "/api/v1/companies/own-co/ladders/product-management/"
TRANSLATE = "/api/v1/translate"

DOC = {
    "levels": [
        {"title": "Associate Product Manager", "code": "L3", "reference_level": "apm"},
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
        {"title": "Principal Product Manager", "code": "L6", "reference_level": "principal-pm"},
    ]
}

DAY1 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
DAY3 = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_caches():
    local_snapshots.clear()
    cache.clear()
    yield
    local_snapshots.clear()


def put(client, body, **extra):
    return client.put(URL, body, format="json", **extra)


def changed(doc, which, **fields):
    body = copy.deepcopy(doc)
    for level in body["levels"]:
        if level.get("code") == which:
            level.update(fields)
    return body


def numbers(client):
    return [(v["number"], v["status"]) for v in client.get(URL + "versions/").json()["results"]]


def test_every_accepted_change_is_a_version_with_author_and_request_id(write_client, company, framework):
    assert put(write_client, DOC, HTTP_X_REQUEST_ID="req-1").status_code == 201
    assert put(write_client, DOC).status_code == 200  # the same document: no new version
    assert numbers(write_client) == [(1, "applied")]
    assert (
        put(write_client, changed(DOC, "L6", title="Lead Product Manager"), HTTP_X_REQUEST_ID="req-2").status_code
        == 200
    )
    level = Level.objects.get(code="L4")
    assert (
        write_client.patch(f"/api/v1/levels/{level.pk}/", {"description": "Owns a feature."}, format="json").status_code
        == 200
    )
    alias = write_client.post("/api/v1/aliases/", {"level": level.pk, "title": "Product Owner"}, format="json")
    assert alias.status_code == 201
    assert write_client.delete(f"/api/v1/levels/{level.pk}/").status_code == 204
    assert numbers(write_client) == [(n, "applied") for n in range(1, 6)]

    versions = write_client.get(URL + "versions/").json()["results"]
    assert versions[0]["author"] == "api-key:test" and versions[0]["request_id"] == "req-1"
    assert versions[1]["request_id"] == "req-2"
    first = write_client.get(URL + "versions/1/").json()
    assert [lv["title"] for lv in first["levels"]][-1] == "Principal Product Manager"
    assert first["levels"][1]["aliases"][0]["title"] == "PM"
    last = write_client.get(URL + "versions/5/").json()
    assert [lv["is_active"] for lv in last["levels"]] == [True, False, True, True]
    # The history of each change names the version it belongs to.
    record = ChangeRecord.objects.filter(object_type="alias", action="create").latest("id")
    assert record.ladder_version == 4


def test_storage_grows_with_the_change_not_with_the_ladder(write_client, company, framework):
    put(write_client, DOC)
    ladder = Ladder.objects.get()
    assert LevelRevision.objects.filter(ladder=ladder).count() == 4
    put(write_client, changed(DOC, "L5", description="Owns a product area."))
    assert LevelRevision.objects.filter(ladder=ladder).count() == 5  # one more row: the changed level
    v1 = write_client.get(URL + "versions/1/").json()
    v2 = write_client.get(URL + "versions/2/").json()
    assert v1["levels"][2]["description"] == "" and v2["levels"][2]["description"] == "Owns a product area."
    assert [lv["id"] for lv in v1["levels"]] == [lv["id"] for lv in v2["levels"]]


def test_as_of_reads_past_current_and_future(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        assert put(write_client, DOC).status_code == 201
    with time_machine.travel(DAY2, tick=False):
        assert put(write_client, changed(DOC, "L5", title="Senior PM")).status_code == 200
        future = put(write_client, changed(DOC, "L5", title="Staff PM"), QUERY_STRING="effective_from=2026-04-01")
        assert future.status_code == 202, future.content
        assert future.json()["status"] == "scheduled"

        def title_on(day):
            response = write_client.get(URL, {"as_of": day})
            assert response.status_code == 200, response.content
            return response.json()["levels"][2]["title"]

        assert title_on("2026-03-02") == "Senior Product Manager"
        assert title_on("2026-03-05") == "Senior Product Manager"
        assert title_on("2026-03-09") == "Senior PM"
        assert title_on("2026-03-31") == "Senior PM"
        assert title_on("2026-04-01") == "Staff PM"
        assert title_on("2030-01-01") == "Staff PM"
        assert title_on("2020-01-01") == "Senior Product Manager"  # before the first version: the first one
        assert write_client.get(URL).json()["levels"][2]["title"] == "Senior PM"  # current is unchanged
        assert write_client.get(URL, {"as_of": "2026-02-30"}).status_code == 400
        assert write_client.get(URL, {"as_of": "soon"}).status_code == 400


def test_scheduled_version_takes_effect_on_its_day_without_a_job(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        scheduled = put(
            write_client, {**changed(DOC, "L4", title="Product Manager II"), "effective_from": "2026-03-09"}
        )
        assert scheduled.status_code == 202
        assert numbers(write_client) == [(1, "applied"), (2, "scheduled")]
        assert write_client.get(URL).json()["levels"][1]["title"] == "Product Manager"
    with time_machine.travel(DAY2 - timedelta(hours=10, seconds=1), tick=False):  # 23:59:59 the day before
        assert write_client.get(URL).json()["levels"][1]["title"] == "Product Manager"
    with time_machine.travel(DAY2, tick=False):
        doc = write_client.get(URL)
        assert doc.json()["levels"][1]["title"] == "Product Manager II"
        assert numbers(write_client) == [(1, "applied"), (2, "applied")]
        version = LadderVersion.objects.get(number=2)
        assert version.effective_from == date(2026, 3, 9) and version.author == "api-key:test"
        assert Level.objects.get(code="L4").title == "Product Manager II"
        # The change history credits the author of the scheduled version.
        assert ChangeRecord.objects.filter(object_type="level", ladder_version=2).get().actor == "api-key:test"


def test_scheduled_version_applies_on_the_first_translation_too(write_client, company, other_public_company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        scheduled = put(write_client, changed(DOC, "L5", title="Senior PM"), QUERY_STRING="effective_from=2026-03-09")
        assert scheduled.status_code == 202
    with time_machine.travel(DAY2, tick=False):
        response = write_client.get(TRANSLATE, {"source": "own-co", "target": "reference", "title": "Sr. PM"})
        assert response.status_code == 200
        assert response.json()["results"][0]["source_level"]["title"] == "Senior PM"


def test_scheduled_version_can_be_replaced_and_cancelled_with_if_match(write_client, read_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        etag = write_client.get(URL)["ETag"]
        stale = put(write_client, DOC, QUERY_STRING="effective_from=2026-04-01", HTTP_IF_MATCH='"ladder-1-v999"')
        assert stale.status_code == 412
        first = put(
            write_client,
            changed(DOC, "L6", title="Staff PM"),
            QUERY_STRING="effective_from=2026-04-01",
            HTTP_IF_MATCH=etag,
        )
        assert first.status_code == 202
        v_etag = first["ETag"]
        url = URL + "versions/2/"
        # Replacing needs the version's ETag when If-Match is given.
        assert write_client.put(url, DOC, format="json", HTTP_IF_MATCH='"nope"').status_code == 412
        replaced = write_client.put(url, changed(DOC, "L6", title="Lead PM"), format="json", HTTP_IF_MATCH=v_etag)
        assert replaced.status_code == 200, replaced.content
        assert replaced.json()["levels"][3]["title"] == "Lead PM"
        assert write_client.get(URL, {"as_of": "2026-04-02"}).json()["levels"][3]["title"] == "Lead PM"
        # A second PUT for the same day replaces it too (one scheduled version per day).
        put(write_client, changed(DOC, "L6", title="Distinguished PM"), QUERY_STRING="effective_from=2026-04-01")
        assert numbers(write_client) == [(1, "applied"), (2, "scheduled")]
        assert read_client.delete(url).status_code == 403
        assert write_client.delete(url, HTTP_IF_MATCH=v_etag).status_code == 412  # replaced since
        assert write_client.delete(url).status_code == 200
        assert numbers(write_client) == [(1, "applied"), (2, "cancelled")]
        assert write_client.delete(url).status_code == 409  # not scheduled any more
        assert (
            write_client.get(URL, {"as_of": "2026-04-02"}).json()["levels"][3]["title"] == "Principal Product Manager"
        )
        past = put(write_client, DOC, QUERY_STRING="effective_from=2026-01-01")
        assert past.status_code == 400 and past.json()["errors"][0]["field"] == "effective_from"
        assert write_client.get(URL + "versions/9/").status_code == 404
    with time_machine.travel(datetime(2026, 4, 2, tzinfo=UTC), tick=False):
        assert write_client.get(URL).json()["levels"][3]["title"] == "Principal Product Manager"


def test_a_scheduled_document_is_validated_when_it_is_scheduled(write_client, company, framework):
    put(write_client, DOC)
    bad = copy.deepcopy(DOC)
    bad["levels"][1]["code"] = "L3"
    response = put(write_client, {**bad, "effective_from": "2099-01-01"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"levels[0].code", "levels[1].code"}
    assert numbers(write_client) == [(1, "applied")]


def test_as_of_translation_uses_the_version_in_effect(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
    with time_machine.travel(DAY2, tick=False):
        # Today the senior level is retired and the staff level moves on the scale.
        level = Level.objects.get(code="L5")
        assert write_client.delete(f"/api/v1/levels/{level.pk}/").status_code == 204
        moved = changed(DOC, "L6", scale_from=4.0, scale_to=6.0)
        moved["levels"][2]["is_active"] = False
        assert put(write_client, moved).status_code == 200

        def translate(title, as_of=None):
            query = {"source": "own-co", "target": "reference", "title": title}
            if as_of:
                query["as_of"] = as_of
            return write_client.get(TRANSLATE, query).json()["results"][0]

        # Today the ladder no longer holds the title: it is placed from what it says (title
        # understanding), never resolved to the retired level.
        today = translate("Senior Product Manager")
        assert today["error"] is not None or today["resolution"]["basis"] == "understood"
        assert today["source_level"] is None or today["source_level"]["code"] != "L5"
        earlier = translate("Senior Product Manager", "2026-03-05")
        assert earlier["error"] is None and earlier["source_level"]["code"] == "L5"
        assert earlier["target_level"]["id"] is not None
        career = write_client.get(
            "/api/v1/career-path", {"company": "own-co", "title": "Senior Product Manager", "as_of": "2026-03-05"}
        )
        assert career.status_code == 200, career.content
        today_path = write_client.get("/api/v1/career-path", {"company": "own-co", "title": "Senior Product Manager"})
        # Today the title is no level of the ladder: unresolved, or placed from its words beside another
        # level (title understanding), but never the retired level.
        assert today_path.status_code in (200, 404)
        if today_path.status_code == 200:
            assert (today_path.json().get("level") or {}).get("code") != "L5"


def test_as_of_translation_costs_no_more_queries_than_a_current_one(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
    with time_machine.travel(DAY2, tick=False):
        put(write_client, changed(DOC, "L5", title="Senior PM"))
        query = {"source": "own-co", "target": "reference", "title": "Sr. PM"}
        counts = {}
        for name, extra in (("current", {}), ("as_of", {"as_of": "2026-03-03"})):
            for temperature in ("cold", "warm"):
                if temperature == "cold":
                    local_snapshots.clear()
                    cache.clear()
                with CaptureQueriesContext(connection) as ctx:
                    response = write_client.get(TRANSLATE, {**query, **extra})
                assert response.status_code == 200
                counts[(name, temperature)] = len(ctx.captured_queries)
        assert counts[("as_of", "cold")] <= counts[("current", "cold")], counts
        assert counts[("as_of", "warm")] <= counts[("current", "warm")], counts


def test_diff_between_versions_and_dates(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
    with time_machine.travel(DAY2, tick=False):
        body = changed(DOC, "L5", rank=7, aliases=["Sr. PM", "Product Lead"])
        body["levels"].append({"title": "Head of Product", "track": "management", "scale_from": 4.0, "scale_to": 6.0})
        written = put(write_client, body)
        assert written.status_code == 200, written.content
    with time_machine.travel(DAY3, tick=False):
        by_number = write_client.get(URL + "diff", {"from": "1", "to": "2"})
        assert by_number.status_code == 200, by_number.content
        diff = by_number.json()
        assert [lv["title"] for lv in diff["levels"]["added"]] == ["Head of Product"]
        assert diff["levels"]["changed"] == [
            {
                "id": Level.objects.get(code="L5").pk,
                "title": "Senior Product Manager",
                "code": "L5",
                "changes": [{"field": "rank", "from": 3, "to": 7}],
            }
        ]
        assert [(a["level_code"], a["title"]) for a in diff["aliases"]["added"]] == [("L5", "Product Lead")]
        assert diff["aliases"]["removed"] == [] and diff["levels"]["removed"] == []
        by_date = write_client.get(URL + "diff", {"from": "2026-03-05", "to": "2026-03-10"}).json()
        assert by_date["levels"] == diff["levels"] and by_date["aliases"] == diff["aliases"]
        backwards = write_client.get(URL + "diff", {"from": "2", "to": "1"}).json()
        assert [lv["title"] for lv in backwards["levels"]["removed"]] == ["Head of Product"]
        same = write_client.get(URL + "diff", {"from": "1", "to": "2026-03-02"}).json()
        assert same["levels"] == {"added": [], "removed": [], "changed": []}
        assert write_client.get(URL + "diff", {"from": "1"}).status_code == 400
        assert write_client.get(URL + "diff", {"from": "1", "to": "x"}).status_code == 400
        assert write_client.get(URL + "diff", {"from": "1", "to": "99"}).status_code == 404


def test_versions_are_tenancy_scoped(write_client, other_write_client, company, framework):
    put(write_client, DOC)
    assert other_write_client.get(URL + "versions/").status_code == 404
    assert other_write_client.get(URL + "versions/1/").status_code == 404
    assert other_write_client.get(URL + "diff", {"from": "1", "to": "1"}).status_code == 404
    assert other_write_client.get(URL, {"as_of": "2026-01-01"}).status_code == 404


def test_admin_edit_makes_a_version_and_the_ladder_page_shows_the_diff(
    client, superuser, write_client, company, framework
):
    from django.urls import reverse

    put(write_client, DOC)
    put(write_client, changed(DOC, "L5", rank=9, aliases=["Sr. PM", "Product Lead"]))
    level = Level.objects.get(code="L4")
    client.force_login(superuser)
    url = reverse("admin:ladder_level_change", args=[level.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"description": "Edited in the admin", "is_active": "on"})
    for key in ("aliases-TOTAL_FORMS", "aliases-INITIAL_FORMS"):
        data[key] = page.context["inline_admin_formsets"][0].formset.management_form[key.split("-")[1]].value()
    for i, alias_form in enumerate(page.context["inline_admin_formsets"][0].formset.forms):
        for name in alias_form.fields:
            value = alias_form[name].value()
            data[f"aliases-{i}-{name}"] = "" if value is None else value
    data = {k: v for k, v in data.items() if v is not False}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content[:2000]
    assert numbers(write_client)[-1] == (3, "applied")
    ladder_page = client.get(reverse("admin:ladder_ladder_change", args=[Ladder.objects.get().pk])).content.decode()
    assert "Edited in the admin" in ladder_page  # version 3's diff: the description changed
    assert "Alias added" in ladder_page and "Product Lead" in ladder_page  # version 2's diff
    assert "3 → 9" in ladder_page


def test_a_level_write_on_the_day_applies_the_scheduled_version_first(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        put(write_client, changed(DOC, "L6", title="Staff PM"), QUERY_STRING="effective_from=2026-03-09")
    with time_machine.travel(DAY2, tick=False):
        level = Level.objects.get(code="L4")
        response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"description": "New"}, format="json")
        assert response.status_code == 200
        assert numbers(write_client) == [(1, "applied"), (2, "applied"), (3, "applied")]
        current = write_client.get(URL).json()["levels"]
        assert current[3]["title"] == "Staff PM" and current[1]["description"] == "New"
        assert write_client.get(URL + "versions/4294967296/").status_code == 404

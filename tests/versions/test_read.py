"""Reading versions (``ladder.versions.read``): ``as_of`` reads of the ladder, translations and career
paths, and who may read versions."""

from __future__ import annotations

from datetime import date

import time_machine

from ladder import versions
from ladder.models import Ladder, LadderVersion, Level
from tests.conftest import clear_caches, count_queries
from tests.versions.documents import DAY1, DAY2, DOC, TRANSLATE, URL, changed, put


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
                    clear_caches()
                response, counts[(name, temperature)] = count_queries(
                    lambda extra=extra: write_client.get(TRANSLATE, {**query, **extra})
                )
                assert response.status_code == 200
        assert counts[("as_of", "cold")] <= counts[("current", "cold")], counts
        assert counts[("as_of", "warm")] <= counts[("current", "warm")], counts


def test_versions_are_tenancy_scoped(write_client, other_write_client, company, framework):
    put(write_client, DOC)
    assert other_write_client.get(URL + "versions/").status_code == 404
    assert other_write_client.get(URL + "versions/1/").status_code == 404
    assert other_write_client.get(URL + "diff", {"from": "1", "to": "1"}).status_code == 404
    assert other_write_client.get(URL, {"as_of": "2026-01-01"}).status_code == 404


def test_in_effect_and_states_of_read_the_version_of_a_day(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
    with time_machine.travel(DAY2, tick=False):
        put(write_client, changed(DOC, "L5", title="Senior PM"))
    ladder = Ladder.objects.get()
    first, second = LadderVersion.objects.filter(ladder=ladder).order_by("number")
    assert versions.in_effect(ladder, date(2026, 3, 2)) == first
    assert versions.in_effect(ladder, date(2026, 3, 8)) == first
    assert versions.in_effect(ladder, date(2026, 3, 9)) == second
    assert versions.in_effect(ladder, date(2020, 1, 1)) == first  # before the first version: the first one
    titles = {s["code"]: s["title"] for s in versions.states_of(first)}
    assert titles["L5"] == "Senior Product Manager"
    both = versions.states_for_versions([first, second])
    assert {s["code"]: s["title"] for s in both[second.pk]}["L5"] == "Senior PM"
    assert both[first.pk] == versions.states_of(first)
    assert versions.summary(second)["number"] == 2 and versions.summary(second)["effective_from"] == "2026-03-09"

"""Diffs between versions (``ladder.versions.diff``): over HTTP by number or date, and as plain data."""

from __future__ import annotations

import time_machine

from ladder.models import Level
from ladder.versions.diff import diff_states
from tests.versions.documents import DAY1, DAY2, DAY3, DOC, URL, changed, put


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


def _state(level_id, title, code=None, rank=1, aliases=(), **fields):
    state = {
        "id": level_id,
        "title": title,
        "code": code,
        "track": "ic",
        "rank": rank,
        "reference_level": None,
        "anchor": "explicit",
        "scale_from": None,
        "scale_to": None,
        "interval": [1.5, 2.5],
        "description": "",
        "external_id": None,
        "is_active": True,
        "aliases": list(aliases),
    }
    return {**state, **fields}


def _alias(title, valid_from=None, valid_to=None, external_id=None):
    return {"title": title, "valid_from": valid_from, "valid_to": valid_to, "external_id": external_id}


def test_diff_states_lists_levels_and_aliases_field_by_field():
    before = [_state(1, "PM", "L4", aliases=[_alias("Product Owner")]), _state(2, "Senior PM", "L5", rank=2)]
    after = [
        _state(1, "Product Manager", "L4", aliases=[_alias("Product Owner", valid_to="2026-01-01"), _alias("PM")]),
        _state(3, "Lead PM", "L6", rank=3, interval=[2.5, 4.0]),
    ]
    diff = diff_states(before, after)
    added = diff["levels"]["added"]
    assert [lv["id"] for lv in added] == [3]
    assert (added[0]["scale_from"], added[0]["scale_to"]) == (2.5, 4.0)  # the document shows the interval
    assert [lv["id"] for lv in diff["levels"]["removed"]] == [2]
    assert diff["levels"]["changed"] == [
        {
            "id": 1,
            "title": "Product Manager",
            "code": "L4",
            "changes": [{"field": "title", "from": "PM", "to": "Product Manager"}],
        }
    ]
    level = {"level_id": 1, "level_title": "Product Manager", "level_code": "L4"}
    assert diff["aliases"]["added"] == [{**level, **_alias("PM")}]
    assert diff["aliases"]["changed"] == [
        {**level, "title": "Product Owner", "changes": [{"field": "valid_to", "from": None, "to": "2026-01-01"}]}
    ]
    assert diff["aliases"]["removed"] == []


def test_changes_are_listed_in_the_order_of_the_level_fields():
    before = [_state(1, "PM", "L4")]
    after = [_state(1, "PM", "L4", rank=4, description="Owns a feature.", is_active=False, external_id="JP-4")]
    changes = diff_states(before, after)["levels"]["changed"][0]["changes"]
    assert [c["field"] for c in changes] == ["rank", "description", "external_id", "is_active"]
    assert diff_states(after, after) == {
        "levels": {"added": [], "removed": [], "changed": []},
        "aliases": {"added": [], "removed": [], "changed": []},
    }


def test_a_new_level_of_a_scheduled_version_is_matched_by_its_code():
    before = [_state(None, "Staff PM", "L7")]
    after = [_state(None, "Staff Product Manager", "L7")]
    diff = diff_states(before, after)
    assert diff["levels"]["added"] == [] and diff["levels"]["removed"] == []
    assert diff["levels"]["changed"][0]["changes"] == [
        {"field": "title", "from": "Staff PM", "to": "Staff Product Manager"}
    ]

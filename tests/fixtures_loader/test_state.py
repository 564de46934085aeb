"""What a load remembers and reports (``ladder.fixtures_loader.state``): the three-way merge, the
remembered values and the report."""

from __future__ import annotations

from ladder.fixtures_loader import LoadReport, content_hash, merge_fields
from ladder.fixtures_loader.state import FixtureStates
from ladder.models import FixtureState


def test_merge_fields_applies_fixture_changes_and_keeps_edits():
    last = {"title": "PM", "code": "L4", "track": "ic"}
    want = {"title": "Product Manager", "code": "L5", "track": "ic"}
    have = {"title": "Product Manager II", "code": "L4", "track": "management"}
    apply, kept = merge_fields(want, last, have)
    assert apply == {"code": "L5"}  # the fixture changed it and nobody else did
    assert kept == ["title"]  # the fixture changed it, but so did a person: the person wins
    assert merge_fields(want, None, have) == ({}, [])  # never loaded by this fixture: adopted as it is


def test_remembered_values_are_written_once_and_forgotten_on_request(db):
    states = FixtureStates("demo")
    states.set("company:acme", {"name": "Acme"}, 7)
    states.set("company:acme/ladder:pm/level:code:L4", {"title": "PM"}, 8)
    states.set("company:acme", {"name": "Acme"}, 7)  # unchanged: nothing is written
    row = FixtureState.objects.get(fixture="demo", key="company:acme")
    assert (row.values, row.object_id, row.content_hash) == ({"name": "Acme"}, 7, content_hash({"name": "Acme"}))
    again = FixtureStates("demo")  # the next load reads what this one remembered
    assert again.get("company:acme").object_id == 7
    assert [s.key for s in again.under("company:acme/")] == ["company:acme/ladder:pm/level:code:L4"]
    again.set("company:acme", {"name": "Acme GmbH"}, 7)
    assert FixtureState.objects.get(key="company:acme").values == {"name": "Acme GmbH"}
    again.forget("company:acme/ladder:pm/level:code:L4")
    assert list(FixtureState.objects.values_list("key", flat=True)) == ["company:acme"]
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})


def test_the_report_says_what_the_load_did():
    report = LoadReport(fixture="demo", created=["company:acme"], kept=["company:acme (name: edited)"], unchanged=3)
    report.notes.append("the catalog was not loaded")
    assert report.lines() == [
        "demo: 1 created, 0 updated, 1 edits kept, 0 adopted, 0 retired, 3 unchanged, 0 errors",
        "  note: the catalog was not loaded",
        "  created: company:acme",
        "  kept edit: company:acme (name: edited)",
    ]

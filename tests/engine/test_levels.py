"""The records a snapshot is made of: levels, aliases with their validity windows, reference rungs."""

from __future__ import annotations

from datetime import date

from ladder.engine.levels import AliasSnap
from tests.engine.ladders import FRAMEWORK, level


def test_an_alias_window_includes_valid_from_and_excludes_valid_to():
    alias = AliasSnap("Product Owner", 12, valid_from=date(2015, 1, 1), valid_to=date(2020, 1, 1))
    assert alias.is_dated
    days = (date(2014, 12, 31), date(2015, 1, 1), date(2019, 12, 31), date(2020, 1, 1))
    assert [alias.is_valid_on(day) for day in days] == [False, True, True, False]


def test_an_open_side_of_a_window_has_no_bound():
    undated = AliasSnap("Sr. PM", 13)
    assert not undated.is_dated
    assert undated.is_valid_on(date.min) and undated.is_valid_on(date.max)
    until = AliasSnap("Product Lead", 21, valid_to=date(2018, 7, 1))
    assert until.is_dated
    assert until.is_valid_on(date.min) and not until.is_valid_on(date(2018, 7, 1))
    since = AliasSnap("Senior Product Owner", 13, valid_from=date(2020, 1, 1))
    assert not since.is_valid_on(date(2019, 12, 31)) and since.is_valid_on(date.max)


def test_a_level_knows_its_interval_and_its_short_shape():
    group = level(21, "Group Product Manager", 3.5, 4.75, track="management", code="M1")
    assert (group.midpoint, group.span) == (4.125, 1.25)
    assert group.to_dict() == {"id": 21, "title": "Group Product Manager", "code": "M1", "track": "management"}


def test_a_reference_rung_spans_half_a_position_either_side():
    director = FRAMEWORK.get("director")
    assert (director.position, director.scale_from, director.scale_to) == (5, 4.5, 5.5)

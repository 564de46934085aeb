"""Matching a level or a placement against another ladder on the reference scale."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from ladder.engine.constants import MATCH_MEMO_LIMIT
from ladder.engine.levels import LevelSnap
from ladder.engine.match import Placement, match_level, match_placement
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate
from tests.engine.ladders import ALL_LADDERS, REFERENCE, level

DAY = date(2025, 1, 1)


def _ladder(key: str, *levels: LevelSnap) -> LadderSnapshot:
    return LadderSnapshot.build(key=key, framework="product-management", version=1, levels=levels)


@pytest.mark.parametrize("ladder", ALL_LADDERS, ids=lambda s: s.key)
def test_match_quality_is_a_fraction(ladder):
    for source in ALL_LADDERS:
        for lv in source.levels:
            matched = match_level(lv, source, ladder)
            for candidate in (matched.best, *matched.alternatives):
                assert 0.0 <= candidate.quality <= 1.0


def test_a_level_with_an_inverted_span_is_read_as_a_unit_span():
    broken = LadderSnapshot.build(
        key="broken", framework="product-management", version=1, levels=[level(1, "Odd", 3.0, 3.0)]
    )
    result = translate(broken, REFERENCE, "Odd", DAY)
    assert result.target_level.reference_level == "senior-pm"
    assert result.confidence == 1.0


def test_an_empty_span_is_read_as_the_unit_span_centred_on_its_start():
    assert Placement.of(level(1, "Odd", 3.0, 3.0)) == Placement(2.5, 3.5, "ic")
    assert Placement.of(level(1, "Odd", 3.0, 2.0, track="management")) == Placement(2.5, 3.5, "management")


def test_match_memo_is_bounded():
    match_module = importlib.import_module("ladder.engine.match")
    target = _ladder("dst", level(10, "Anything", 0.0, 10.0))
    for i in range(2 * MATCH_MEMO_LIMIT + 5):
        match_placement(Placement(i / 1000, i / 1000 + 1, "ic"), target)
    assert len(match_module._matches) <= MATCH_MEMO_LIMIT

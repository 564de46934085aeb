"""The engine's tunables and limits: the promises they make to each other and to the API."""

from __future__ import annotations

from datetime import date

from ladder.engine.constants import (
    CORRECTION_THRESHOLD,
    EXPIRED_ALIAS_SCORE,
    FAMILY_WORD_SCORE,
    FUZZY_THRESHOLD,
    INFERRED_FACTOR,
    LONG_TITLE_LENGTH,
    MAX_TITLE_LENGTH,
    REDUCED_THRESHOLD,
    SCALE_END,
    SCALE_START,
    TRACK_ORDER,
    TRACK_WEIGHTS,
    TRACKS,
)
from ladder.engine.resolve import resolve
from tests.engine.ladders import ENTERPRISE, FRAMEWORK

DAY = date(2025, 1, 1)


def test_the_api_limit_on_titles_is_200_characters_and_the_engine_reads_all_of_them():
    assert MAX_TITLE_LENGTH == 200
    assert MAX_TITLE_LENGTH < LONG_TITLE_LENGTH


def test_a_title_the_api_accepts_is_memoised_and_a_longer_one_is_not():
    accepted = ("Senior Product Manager - Payments " * 10)[:MAX_TITLE_LENGTH]
    first = resolve(ENTERPRISE, accepted, as_of=DAY)
    assert (first.level.id, first.basis) == (13, "normalized")
    assert resolve(ENTERPRISE, accepted, as_of=DAY) is first
    longer = ("Senior Product Manager - Payments " * 10)[: LONG_TITLE_LENGTH + 1]
    again = resolve(ENTERPRISE, longer, as_of=DAY)
    assert again == resolve(ENTERPRISE, longer, as_of=DAY)
    assert again is not resolve(ENTERPRISE, longer, as_of=DAY)


def test_tracks_sort_ic_then_management_then_executive():
    assert TRACKS == ("ic", "management", "executive")
    assert sorted(TRACK_ORDER, key=TRACK_ORDER.get) == list(TRACKS)
    assert TRACK_WEIGHTS[0] == 1.0 and tuple(sorted(TRACK_WEIGHTS, reverse=True)) == TRACK_WEIGHTS


def test_every_rung_of_the_reference_lies_on_the_scale():
    assert SCALE_START < SCALE_END
    assert all(SCALE_START <= r.scale_from < r.scale_to <= SCALE_END for r in FRAMEWORK.reference_levels)


def test_a_ladder_hit_always_scores_above_a_weaker_one():
    assert CORRECTION_THRESHOLD < FUZZY_THRESHOLD < REDUCED_THRESHOLD <= 100
    assert all(0 < factor < 1 for factor in (EXPIRED_ALIAS_SCORE, FAMILY_WORD_SCORE, INFERRED_FACTOR))

"""The resolver's fuzzy step: typos forgiven within level markers, corrections and suggestions."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from ladder.engine.constants import CORRECTION_MEMO_LIMIT
from ladder.engine.fuzzy import corrected_words
from ladder.engine.normalize import SENIORITY_WORDS, normalize_title
from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution
from tests.engine.ladders import CODED, ENTERPRISE, NUMBERED, REFERENCE
from tests.engine.support import failed, resolved

DAY = date(2025, 1, 1)


def test_an_expired_alias_is_not_used_by_the_fuzzy_step_either():
    assert resolved(ENTERPRISE, "Product Ownr", as_of=date(2016, 1, 1)).level.id == 12
    assert failed(ENTERPRISE, "Product Ownr", as_of=date(2021, 1, 1)).code == "unresolved_title"


def test_typos_are_forgiven():
    found = resolved(ENTERPRISE, "Senoir Product Manger")
    assert (found.level.id, found.basis) == (13, "fuzzy")
    assert 0.85 <= found.score < 1.0
    assert resolved(ENTERPRISE, "Principle Product Manager").level.id == 14
    assert resolved(NUMBERED, "Senior Directr").level.id == 55
    assert resolved(NUMBERED, "Product Manger 2").level.id == 52


def test_a_team_name_without_separator_is_tolerated():
    found = resolved(ENTERPRISE, "Senior Product Manager Payments")
    assert (found.level.id, found.basis) == (13, "fuzzy")
    assert found.score < 0.9
    assert resolved(NUMBERED, "Product Manager II Payments").level.id == 52
    assert failed(NUMBERED, "Product Manager IV Payments").code == "unresolved_title"


def test_the_job_family_word_may_be_left_out():
    assert resolved(ENTERPRISE, "Director").level.id == 22
    assert resolved(ENTERPRISE, "Senior Director").level.id == 23
    assert resolved(ENTERPRISE, "VP").level.id == 31


@pytest.mark.parametrize(
    ("title", "forbidden"),
    [
        ("Product Manager", {52, 53}),
        ("Product Manger", {52, 53}),
        ("Product Manager 4", {51, 52, 53}),
        ("Product Manager 22", {52}),
        ("Senior Director", {54}),
        ("Director", {55}),
        ("Senior Senior Director", {54}),
        ("Directr", {55}),
        ("Associate Director", {54, 55}),
    ],
)
def test_fuzzy_never_crosses_seniority_or_level_numbers(title, forbidden):
    result = resolve(NUMBERED, title, as_of=DAY)
    assert not (isinstance(result, Resolution) and result.level.id in forbidden)


@pytest.mark.parametrize("snapshot", [ENTERPRISE, NUMBERED, REFERENCE], ids=lambda s: s.key)
def test_adding_a_seniority_word_never_lands_on_the_plain_title(snapshot):
    for lv in snapshot.levels:
        words = set(normalize_title(lv.title).split())
        for word in sorted(SENIORITY_WORDS - words):
            result = resolve(snapshot, f"{word} {lv.title}", as_of=DAY)
            if isinstance(result, Resolution) and result.level.id == lv.id:
                pytest.fail(f"{word} {lv.title!r} resolved to {lv.title!r} by {result.basis}")


def test_unresolved_title_comes_with_suggestions():
    error = failed(ENTERPRISE, "Chief Vibes Officer")
    assert error.code == "unresolved_title"
    assert error.suggestions[0] == "Chief Product Officer"
    assert len(error.suggestions) == 3
    assert "Chief Vibes Officer" in error.detail


def test_number_in_a_title_without_level_is_unresolved():
    error = failed(NUMBERED, "Product Manager 4")
    assert set(error.suggestions) >= {"Product Manager 2", "Product Manager 3"}


def test_fuzzy_match_onto_a_shared_title_is_ambiguous():
    error = failed(CODED, "Prodct Manager")
    assert error.code == "ambiguous_title"
    assert len(error.candidates) == 3


def test_the_spelling_corrections_memo_is_bounded():
    fuzzy_module = importlib.import_module("ladder.engine.fuzzy")
    letters = "abcdefghijklmnopqrstuvwxyz"
    # More distinct words than the table holds, none of them known to the ladder.
    words = [
        f"manger{letters[i % 26]}{letters[i // 26 % 26]}{letters[i // 676]}" for i in range(2 * CORRECTION_MEMO_LIMIT)
    ]
    assert corrected_words(ENTERPRISE.index, words[:3]) == words[:3]
    assert corrected_words(ENTERPRISE.index, ["senoir", "manger", "ii"]) == ["senior", "manager", "2"]
    for i in range(0, len(words), 64):
        corrected_words(ENTERPRISE.index, words[i : i + 64])
        assert len(fuzzy_module._corrections) <= CORRECTION_MEMO_LIMIT

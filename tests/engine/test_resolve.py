"""Resolving titles and codes inside one ladder."""

from __future__ import annotations

import importlib
import time
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.engine.constants import CORRECTION_MEMO_LIMIT, EXPIRED_ALIAS_SCORE, RESOLUTION_MEMO_LIMIT
from ladder.engine.levels import AliasSnap
from ladder.engine.normalize import SENIORITY_WORDS, normalize_title
from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution, ResolveError
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate
from tests.engine.ladders import ALL_LADDERS, CODED, ENTERPRISE, NUMBERED, REFERENCE, level
from tests.engine.support import FAMILY_TRAPS, VOCABULARY, failed, resolved

DAY = date(2025, 1, 1)


@pytest.mark.parametrize(
    ("title", "level_id", "basis"),
    [
        ("Senior Product Manager", 13, "exact"),
        ("Sr. PM", 13, "alias"),
        ("sr. pm", 13, "normalized"),  # same normalised form as the title, which comes first
        ("lead product manager", 14, "alias"),  # the alias after normalisation
        ("Sr. PM - Payments", 13, "normalized"),
        ("SENIOR PRODUCT MANAGER", 13, "normalized"),
        ("VP, Product", 31, "normalized"),
        ("Lead PM", 14, "alias"),
        ("Chief Product Officer (CPO)", 33, "normalized"),
    ],
)
def test_exact_alias_and_normalised_lookups(title, level_id, basis):
    found = resolved(ENTERPRISE, title)
    assert (found.level.id, found.basis, found.score) == (level_id, basis, 1.0)


def test_exact_title_is_case_sensitive_and_scores_one():
    assert resolved(ENTERPRISE, "Group Product Manager").basis == "exact"
    assert resolved(ENTERPRISE, "group product manager").basis == "normalized"


def test_shared_title_without_code_is_ambiguous():
    error = failed(CODED, "Product Manager")
    assert error.code == "ambiguous_title"
    assert [lv.code for lv in error.candidates] == ["IC4", "IC5", "IC6"]
    assert error.to_dict()["candidates"][1] == {"id": 43, "title": "Product Manager", "code": "IC5", "track": "ic"}


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Product Manager", "IC5"),
        ("Product Manager", "ic 5"),
        ("", "IC5"),
        ("Product Manager (IC5)", None),
        ("Product Manager - IC5", None),
        ("IC5 Product Manager", None),
        ("Product Manager IC5", None),
        ("IC5", None),
        ("ic-5", None),
        ("Product Manager - Payments", "IC5"),
    ],
)
def test_code_beside_or_inside_the_title_picks_the_level(title, code):
    found = resolved(CODED, title, code)
    assert (found.level.id, found.basis, found.score) == (43, "code", 1.0)


def test_unknown_code_beside_the_title_is_an_error():
    assert failed(CODED, "Product Manager", "IC9").code == "unknown_code"


def test_unknown_code_inside_the_title_is_never_dropped():
    # ENTERPRISE uses L-codes: "IC5" may well mean senior, so plain "Product Manager" is no answer.
    error = failed(ENTERPRISE, "Product Manager (IC5)")
    assert error.code == "unresolved_title"
    assert "'IC5'" in error.detail
    assert error.suggestions[0] == "Product Manager"
    # A bare level number behind a separator is kept the same way.
    assert failed(NUMBERED, "Product Manager - 4").code == "unresolved_title"
    assert resolved(NUMBERED, "Product Manager - 2").level.id == 52
    # In CODED the unknown code is reported the same way, whatever the words would have said.
    error = failed(CODED, "Product Manager (IC9)")
    assert (error.code, error.suggestions[0]) == ("unresolved_title", "Product Manager")


def test_code_and_title_naming_different_levels_is_a_mismatch():
    error = failed(CODED, "Product Director", "IC5")
    assert error.code == "code_title_mismatch"
    assert [lv.id for lv in error.candidates] == [43, 45]
    # Same rule for a code written inside the string.
    assert failed(CODED, "Product Director (IC5)").code == "code_title_mismatch"
    # A code outside the levels sharing the title is a mismatch too.
    assert failed(CODED, "Product Manager", "D1").code == "code_title_mismatch"


@pytest.mark.parametrize("title", ["", "   ", "\t\n", None])
def test_empty_title(title):
    assert failed(ENTERPRISE, title).code == "empty_title"


@pytest.mark.parametrize(
    ("day", "basis"),
    [
        (date(2014, 12, 31), None),  # not valid yet: says nothing about the past
        (date(2015, 1, 1), "alias"),
        (date(2019, 12, 31), "alias"),  # the last day before valid_to
        (date(2020, 1, 1), "expired_alias"),  # valid_to itself is excluded: a title used in the past
    ],
)
def test_alias_validity_window_includes_valid_from_and_excludes_valid_to(day, basis):
    result = resolve(ENTERPRISE, "Product Owner", as_of=day)
    if basis is None:
        assert isinstance(result, ResolveError)
    else:
        assert isinstance(result, Resolution)
        assert (result.level.id, result.basis) == (12, basis)
        assert result.score == (1.0 if basis == "alias" else EXPIRED_ALIAS_SCORE)


def test_an_expired_alias_states_its_window():
    result = resolve(ENTERPRISE, "product owner", as_of=date(2024, 5, 1))
    assert result.basis == "expired_alias"
    assert result.to_dict() == {
        "basis": "expired_alias",
        "score": EXPIRED_ALIAS_SCORE,
        "alias": "Product Owner",
        "window": {"valid_from": "2015-01-01", "valid_to": "2020-01-01"},
    }


def test_open_ended_alias_windows():
    assert failed(ENTERPRISE, "Senior Product Owner", as_of=date(2019, 12, 31)).code == "unresolved_title"
    assert resolved(ENTERPRISE, "Senior Product Owner", as_of=date(2020, 1, 1)).level.id == 13
    assert resolved(ENTERPRISE, "Product Lead", as_of=date(2018, 6, 30)).level.id == 21
    after = resolved(ENTERPRISE, "Product Lead", as_of=date(2018, 7, 1))
    assert (after.level.id, after.basis) == (21, "expired_alias")


def test_alias_shared_by_two_levels_in_different_periods_follows_the_date():
    snapshot = LadderSnapshot.build(
        key="renamed",
        framework="product-management",
        version=1,
        levels=[level(1, "Product Manager", 1.5, 2.5), level(2, "Senior Product Manager", 2.5, 3.5)],
        aliases=[
            AliasSnap("Product Lead", 1, valid_to=date(2021, 1, 1)),
            AliasSnap("Product Lead", 2, valid_from=date(2021, 1, 1)),
        ],
    )
    assert resolved(snapshot, "Product Lead", as_of=date(2020, 12, 31)).level.id == 1
    assert resolved(snapshot, "Product Lead", as_of=date(2021, 1, 1)).level.id == 2


def test_huge_input_is_handled_quickly():
    started = time.perf_counter()
    for title in ("x" * 10_000, "Senior Product Manager " * 500, "IC5 " * 3000, "é\u0301" * 5000):
        assert isinstance(resolve(ENTERPRISE, title, as_of=DAY), ResolveError)
    assert time.perf_counter() - started < 1.0


def test_as_of_may_be_a_datetime():
    assert resolved(ENTERPRISE, "Product Owner", as_of=datetime(2019, 12, 31, 23, 59)).level.id == 12


def test_default_as_of_is_today():
    assert resolve(ENTERPRISE, "Product Owner") == resolve(ENTERPRISE, "Product Owner", as_of=date.today())


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(ALL_LADDERS),
    st.one_of(st.text(max_size=300), st.text(alphabet="PMSenior Ddct-(),IVX0123456789.", max_size=40)),
    st.one_of(st.none(), st.text(max_size=12)),
    st.dates(),
)
def test_resolve_never_raises(snapshot, title, code, day):
    result = resolve(snapshot, title, code, day)
    if isinstance(result, Resolution):
        assert result.level in snapshot.levels
        assert 0.0 <= result.score <= 1.0
        assert result.basis in {"exact", "alias", "normalized", "fuzzy", "code"}
    else:
        assert result.code in {
            "empty_title",
            "unknown_code",
            "ambiguous_title",
            "code_title_mismatch",
            "unresolved_title",
        }
        assert len(result.suggestions) <= 3 or result.code == "ambiguous_title"


# --- regressions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "level_id"),
    [
        ("Senior Product Manager - B2B", 13),
        ("Product Manager - 5G", 12),
        ("Senior Product Manager - Payments", 13),
        ("Sr. PM (B2B2C)", 13),
    ],
)
def test_team_suffix_with_a_digit_does_not_block_resolution(title, level_id):
    found = resolved(ENTERPRISE, title)
    assert (found.level.id, found.basis) == (level_id, "normalized")


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Senior Product Manager IC5", None),
        ("Senior Product Manager (IC5)", None),
        ("Senior Product Manager - IC5", None),
        ("IC5 - Senior PM", None),
        ("Senior Product Manager", "IC5"),
        ("Staff PM", "IC5"),
        ("Senoir Product Manager", "IC5"),  # a misspelt seniority word is still one
        ("Product Manager 3", "IC5"),
        ("Product Manager (IC4)", "IC5"),
    ],
)
def test_a_code_never_overrides_contradicting_level_words(title, code):
    error = failed(CODED, title, code)
    assert error.code == "code_title_mismatch"
    assert error.candidates[0].id == 43
    assert "'IC5'" in error.detail


def test_code_title_mismatch_lists_the_level_the_title_would_match():
    for title, code in (("Associate PM", "IC5"), ("Asociate Product Manager", "IC5"), ("Asociate PM (IC5)", None)):
        error = failed(CODED, title, code)
        assert error.code == "code_title_mismatch"
        assert [lv.id for lv in error.candidates] == [43, 41]
    # Nothing in the ladder is senior: only the coded level is listed.
    assert [lv.id for lv in failed(CODED, "Senior PM (IC5)").candidates] == [43]
    # The title's words leave out part of the coded level's title, and add nothing: the code decides.
    for title in ("Principal (L7)", "Senior Principal - L7", "L7 Principal"):
        found = resolved(ENTERPRISE, title)
        assert (found.level.id, found.basis) == (15, "code")
    assert resolved(ENTERPRISE, "Lead Product Manger", "L6").level.id == 14  # through its alias
    assert resolved(CODED, "Product Manager (IC5)", "IC5").level.id == 43


def test_adding_a_seniority_word_to_a_coded_title_never_lands_on_the_coded_level():
    for lv in CODED.levels:
        words = set(normalize_title(lv.title).split())
        for word in sorted(SENIORITY_WORDS - words):
            for title, code in ((f"{word} {lv.title} ({lv.code})", None), (f"{word} {lv.title}", lv.code)):
                result = resolve(CODED, title, code, DAY)
                if isinstance(result, Resolution) and result.level.id == lv.id:
                    pytest.fail(f"{title!r} with code {code!r} resolved to {lv.title!r} by {result.basis}")


def test_an_oversized_code_is_clipped_in_the_error():
    error = failed(CODED, "Product Manager", "X" * 10_000)
    assert error.code == "unknown_code"
    assert len(error.detail) < 200


def test_resolution_memo_is_bounded_and_keeps_no_errors():
    resolve_module = importlib.import_module("ladder.engine.resolve")  # the package exports a function by that name
    fuzzy_module = importlib.import_module("ladder.engine.fuzzy")
    snapshot = LadderSnapshot.build(
        key="memo", framework="product-management", version=1, levels=[level(1, "Senior Product Manager", 2.5, 3.5)]
    )
    for i in range(3 * RESOLUTION_MEMO_LIMIT):
        resolve(snapshot, f"Senior PM - Team {i}", as_of=DAY)
        resolve(snapshot, f"Chief Vibes Officer {i}", as_of=DAY)
    assert len(resolve_module._resolutions) <= RESOLUTION_MEMO_LIMIT
    assert all(isinstance(value, Resolution) for value in resolve_module._resolutions.values())
    assert len(fuzzy_module._corrections) <= CORRECTION_MEMO_LIMIT


def test_the_resolver_exports_only_its_own_names():
    resolve_module = importlib.import_module("ladder.engine.resolve")
    assert "signature_of" not in resolve_module.__all__
    assert "resolve" in resolve_module.__all__
    assert all(getattr(resolve_module, name).__module__ == resolve_module.__name__ for name in resolve_module.__all__)
    # What it answers is defined with the engine's other results.
    assert (Resolution.__module__, ResolveError.__module__) == ("ladder.engine.results",) * 2


# --- with a vocabulary: titles the ladder does not hold -------------------------------------------


@pytest.mark.parametrize(("title", "family"), FAMILY_TRAPS)
def test_another_family_answers_other_job_family_at_a_company_and_at_the_reference(title, family):
    for ladder in (ENTERPRISE, REFERENCE):
        result = resolve(ladder, title, as_of=DAY, vocabulary=VOCABULARY)
        assert isinstance(result, ResolveError), (ladder.key, title, result)
        assert (result.code, result.family) == ("other_job_family", family)


def test_fuzzy_matching_never_turns_one_family_word_into_another():
    # Without the parser, "production" is one letter-swap away from "product" and the old answer
    # was the ladder's Senior Product Manager.
    for title in ("Senior Production Manager", "Senior Project Manager", "Senior Program Manager"):
        result = resolve(ENTERPRISE, title, as_of=DAY, vocabulary=VOCABULARY)
        assert isinstance(result, ResolveError) and result.code == "other_job_family"


def test_an_understood_title_at_a_company_names_the_level_it_sits_beside():
    startup = LadderSnapshot.build(
        key="startup",
        framework="product-management",
        version=1,
        levels=[
            level(1, "Product Manager", 1.0, 2.5, anchor="pm"),
            level(2, "Senior Product Manager", 2.5, 3.5, anchor="senior-pm"),
            level(3, "Head of Product", 3.5, 6.5, track="management", anchor="director"),
        ],
    )
    result = resolve(startup, "Staff Product Manager", as_of=DAY, vocabulary=VOCABULARY)
    assert isinstance(result, Resolution)
    assert result.basis == "understood"
    assert result.understanding.span == (3.5, 4.5)
    # By the matching rules an overlap beats a near miss: the wide Head of Product covers 3.5-4.5.
    assert result.level.id == 3
    answer = translate(startup, startup, "Staff Product Manager", DAY, VOCABULARY)
    assert answer.source_level.id == answer.target_level.id == 3

"""Translating titles between ladders, with the consistency properties."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ladder.engine.levels import LevelSnap
from ladder.engine.match import match_level
from ladder.engine.resolve import resolve
from ladder.engine.results import ResolveError, TitleQuery, TranslationResult
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate, translate_many
from tests.engine.ladders import ALL_LADDERS, CODED, ENTERPRISE, FRAMEWORK, REFERENCE, STARTUP, level
from tests.engine.support import ITEMS, VOCABULARY, anchored_ladders, ladders, same_answer

DAY = date(2025, 1, 1)


def ids(alternatives) -> list[int]:
    return [alt.level.id for alt in alternatives]


# --- worked examples ---------------------------------------------------------------------------


def test_wide_startup_level_lands_on_the_best_overlap_with_neighbours_as_alternatives():
    result = translate(STARTUP, ENTERPRISE, "Head of Product", DAY)
    # Head of Product spans 3.5-6.5 on the management track. Group PM covers a third of it on the
    # same track; the split director band covers a sixth per level; VP covers a third, one track away.
    assert result.target_level.id == 21
    assert result.basis == "overlap"
    assert result.confidence == round(math.sqrt(1 / 3), 3)
    # The same track comes first; VP's own 0.75 x sqrt(1/3) is capped at the director levels' sqrt(1/6).
    assert ids(result.alternatives) == [22, 23, 31]
    assert [alt.basis for alt in result.alternatives] == ["overlap", "overlap", "track_fallback"]
    assert [alt.confidence for alt in result.alternatives] == [round(math.sqrt(1 / 6), 3)] * 3


def test_narrow_levels_translate_into_the_wide_level_that_contains_them():
    for title in ("Group Product Manager", "Director of Product", "Senior Director of Product"):
        result = translate(ENTERPRISE, STARTUP, title, DAY)
        assert (result.target_level.id, result.basis) == (3, "overlap")
    vp = translate(ENTERPRISE, STARTUP, "VP of Product", DAY)
    assert (vp.target_level.id, vp.basis) == (3, "track_fallback")
    principal = translate(ENTERPRISE, STARTUP, "Principal Product Manager", DAY)
    assert (principal.target_level.id, principal.basis) == (3, "track_fallback")


def test_nearest_level_is_the_last_resort():
    result = translate(ENTERPRISE, STARTUP, "Chief Product Officer", DAY)
    # CPO (6.5-7.5) touches nothing at the startup; Head of Product ends where it starts.
    assert (result.target_level.id, result.basis) == (3, "nearest")
    assert result.confidence == round(0.75 * 0.3, 3)


def test_same_track_is_preferred_then_leadership_neighbours():
    # Group PM (management 3.5-4.5) -> CODED: only IC6 overlaps (other track); D1 is adjacent.
    result = translate(ENTERPRISE, CODED, "Group Product Manager", DAY)
    assert (result.target_level.id, result.basis) == (44, "track_fallback")
    assert ids(result.alternatives)[0] == 45
    # Principal PM (ic 3.5-4.5) -> ENTERPRISE prefers the IC level over Group PM on the same span.
    assert translate(ENTERPRISE, ENTERPRISE, "Principal Product Manager", DAY).target_level.id == 14


def test_fuzzy_resolution_lowers_confidence():
    exact = translate(ENTERPRISE, REFERENCE, "Senior Product Manager", DAY)
    fuzzy = translate(ENTERPRISE, REFERENCE, "Senoir Product Manger", DAY)
    assert exact.target_level == fuzzy.target_level
    assert exact.confidence == 1.0
    assert fuzzy.confidence == round(fuzzy.resolution.score, 3) < 1.0


def test_ambiguous_title_error_lists_candidates():
    result = translate(CODED, ENTERPRISE, "Product Manager", DAY)
    assert result.error is not None and result.error.code == "ambiguous_title"
    assert [c["code"] for c in result.to_dict()["error"]["candidates"]] == ["IC4", "IC5", "IC6"]
    assert translate(CODED, ENTERPRISE, TitleQuery("Product Manager", "IC6"), DAY).target_level.id == 14


def test_empty_target_ladder():
    empty = LadderSnapshot.build(key="empty", framework="product-management", version=1, levels=[])
    result = translate(ENTERPRISE, empty, "Senior Product Manager", DAY)
    assert result.source_level.id == 13
    assert result.target_level is None
    assert result.error.code == "empty_target"


def test_translate_many_keeps_order_length_and_computes_duplicates_once():
    items = ["Sr. PM", "Chief Vibes Officer", TitleQuery("Product Manager", "L4"), "Sr. PM", "", "Sr. PM"]
    results = translate_many(ENTERPRISE, STARTUP, items, DAY)
    assert [r.input for r in results] == items
    assert results[0] is results[3] is results[5]
    assert [r.ok for r in results] == [True, False, True, True, False, True]
    assert results == [translate(ENTERPRISE, STARTUP, item, DAY) for item in items]


# --- properties on generated ladders -----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(ladders("alpha"))
def test_translating_into_the_same_ladder_is_the_identity(ladder):
    for lv in ladder.levels:
        assert translate(ladder, ladder, lv.title, DAY).target_level == lv


def test_identity_holds_for_the_example_ladders():
    for ladder in ALL_LADDERS:
        for lv in ladder.levels:
            assert translate(ladder, ladder, TitleQuery(lv.title, lv.code), DAY).target_level == lv


@settings(max_examples=300, deadline=None)
@given(ladders("alpha"), ladders("bravo", min_size=0), st.data())
def test_round_trip_returns_the_source_level_when_the_target_has_its_twin(a, b, data):
    source = data.draw(st.sampled_from(a.levels))
    assume(
        not any(
            other.id != source.id
            and other.track == source.track
            and (other.scale_from, other.scale_to) == (source.scale_from, source.scale_to)
            for other in a.levels
        )
    )
    twin = LevelSnap(
        id=999,
        title="bravo twin",
        code=None,
        track=source.track,
        rank=data.draw(st.integers(1, 20)),
        scale_from=source.scale_from,
        scale_to=source.scale_to,
    )
    b = LadderSnapshot.build(key="bravo", framework="product-management", version=1, levels=[*b.levels, twin])
    there = translate(a, b, source.title, DAY)
    back = translate(b, a, there.target_level.title, DAY)
    assert back.target_level == source


def test_round_trip_prefers_the_same_sized_twin_over_a_wider_centred_level():
    a = LadderSnapshot.build(
        key="a",
        framework="product-management",
        version=1,
        levels=[level(1, "Low", 1.5, 2.5), level(2, "Mid", 2.5, 3.5), level(3, "High", 3.5, 4.5)],
    )
    # "Wide" is centred on Mid and covers it fully, exactly like "Twin"; it ranks first.
    b = LadderSnapshot.build(
        key="b",
        framework="product-management",
        version=1,
        levels=[level(10, "Wide", 1.5, 4.5, rank=1), level(11, "Twin", 2.5, 3.5, rank=2)],
    )
    there = translate(a, b, "Mid", DAY)
    assert there.target_level.id == 11
    assert translate(b, a, there.target_level.title, DAY).target_level.id == 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(anchored_ladders(), st.just(ENTERPRISE)), st.one_of(ladders("bravo"), st.sampled_from(ALL_LADDERS)))
def test_going_through_the_reference_gives_the_direct_answer(a, b):
    assume(a.key != b.key)
    for lv in a.levels:
        rung = FRAMEWORK.get(lv.reference_level)
        if rung is None or rung.track != lv.track or (lv.scale_from, lv.scale_to) != (rung.scale_from, rung.scale_to):
            continue  # the property is promised for levels sitting exactly on a rung
        direct = translate(a, b, lv.title, DAY)
        to_reference = translate(a, REFERENCE, lv.title, DAY)
        assert to_reference.target_level.reference_level == rung.slug
        onward = translate(REFERENCE, b, to_reference.target_level.title, DAY)
        same_answer(direct, onward)


def test_reference_detour_for_a_custom_span_is_coarser():
    # Documented limit: the startup's Head of Product (3.5-6.5) reaches the reference as Director,
    # and Director's own span then lands on a director-band level, not on Group PM.
    via = translate(STARTUP, REFERENCE, "Head of Product", DAY)
    assert via.target_level.reference_level == "director"
    onward = translate(REFERENCE, ENTERPRISE, via.target_level.title, DAY)
    assert onward.target_level.id == 22
    assert translate(STARTUP, ENTERPRISE, "Head of Product", DAY).target_level.id == 21


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_LADDERS), st.sampled_from(ALL_LADDERS), st.lists(ITEMS, max_size=30))
def test_translate_many_equals_translating_one_by_one(source, target, items):
    batch = translate_many(source, target, items, DAY)
    assert len(batch) == len(items)
    assert batch == [translate(source, target, item, DAY) for item in items]
    for result in batch:
        assert 0.0 <= result.confidence <= 1.0
        assert (result.error is None) == (result.target_level is not None)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ALL_LADDERS),
    st.sampled_from(ALL_LADDERS),
    st.one_of(
        st.text(max_size=200),
        st.text(min_size=1, max_size=20).map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]),
    ),
    st.one_of(st.none(), st.text(max_size=8)),
)
def test_translate_never_raises(source, target, title, code):
    result = translate(source, target, TitleQuery(title, code), DAY)
    result.to_dict()
    assert 0.0 <= result.confidence <= 1.0


# --- regressions: the ranking agrees with the confidence ---------------------------------------


def _ladder(key: str, *levels: LevelSnap) -> LadderSnapshot:
    return LadderSnapshot.build(key=key, framework="product-management", version=1, levels=levels)


def test_a_close_fit_beats_a_wide_level_that_merely_covers_the_source():
    source = _ladder("src", level(1, "Senior", 2.5, 3.5))
    target = _ladder("dst", level(10, "Everything", 0.0, 10.0), level(11, "Close", 2.8, 3.8))
    result = translate(source, target, "Senior", DAY)
    assert (result.target_level.id, result.basis, result.confidence) == (11, "overlap", 0.7)
    assert [(alt.level.id, alt.confidence) for alt in result.alternatives] == [(10, round(math.sqrt(0.1), 3))]


def test_an_overlapping_level_on_the_same_track_beats_another_track():
    source = _ladder("src", level(1, "Director", 4.5, 5.5, track="management"))
    target = _ladder(
        "dst",
        level(10, "VP", 4.5, 5.5, track="executive"),
        level(11, "Director", 4.9, 5.9, track="management"),
    )
    result = translate(source, target, "Director", DAY)
    assert (result.target_level.id, result.basis, result.confidence) == (11, "overlap", 0.6)
    # The executive level would score 0.75 on its own; below the answer it is capped at 0.6.
    assert [(alt.level.id, alt.basis, alt.confidence) for alt in result.alternatives] == [(10, "track_fallback", 0.6)]


def test_nearest_levels_are_ranked_by_confidence_too():
    source = _ladder("src", level(1, "Lead", 3.0, 4.0))
    target = _ladder(
        "dst",
        level(10, "Adjacent manager", 4.0, 5.0, track="management"),  # gap 0, other track: 0.5 x 0.3
        level(11, "Far IC", 4.5, 5.5),  # gap 0.5, same track: 0.3 x 0.5
        level(12, "Near IC", 1.5, 2.75),  # gap 0.25, same track: 0.3 x 0.75
    )
    result = translate(source, target, "Lead", DAY)
    assert (result.target_level.id, result.basis, result.confidence) == (12, "nearest", 0.225)
    assert [(alt.level.id, alt.confidence) for alt in result.alternatives] == [(10, 0.15), (11, 0.15)]


def _ranked_consistently(result: TranslationResult) -> None:
    confidences = [result.confidence, *(alt.confidence for alt in result.alternatives)]
    assert confidences == sorted(confidences, reverse=True)
    order = {"overlap": 0, "track_fallback": 1, "nearest": 2}
    bases = [result.basis, *(alt.basis for alt in result.alternatives)]
    assert [order[b] for b in bases] == sorted(order[b] for b in bases)


@settings(max_examples=300, deadline=None)
@given(ladders("alpha"), ladders("bravo"), st.data())
def test_the_answer_has_the_highest_confidence_and_the_best_track(a, b, data):
    source = data.draw(st.sampled_from(a.levels))
    result = translate(a, b, source.title, DAY)
    _ranked_consistently(result)
    # No level of B, alternative or not, has a higher confidence than the answer.
    every = match_level(source, a, b)
    assert all(result.confidence >= round(c.quality, 3) for c in (every.best, *every.alternatives))
    # A same-track level that overlaps the source always wins when there is one.
    overlapping_same_track = [
        lv
        for lv in b.levels
        if lv.track == source.track and min(lv.scale_to, source.scale_to) > max(lv.scale_from, source.scale_from)
    ]
    if overlapping_same_track:
        assert result.basis == "overlap" and result.target_level in overlapping_same_track


def test_example_ladders_rank_consistently():
    for source in ALL_LADDERS:
        for target in ALL_LADDERS:
            for lv in source.levels:
                _ranked_consistently(translate(source, target, TitleQuery(lv.title, lv.code), DAY))


# --- with a vocabulary: titles the ladder does not hold, and the properties still hold -----------


@pytest.mark.parametrize(
    "title",
    [
        "Senior Director of Product Management",
        "SVP, Product",
        "EVP Product",
        "Associate Director, Product Management",
        "Senior Manager, Product Management",
        "Staff Product Manager (Remote)",
    ],
)
def test_titles_the_reference_does_not_hold_are_understood_below_a_ladder_hit(title):
    result = translate(REFERENCE, REFERENCE, title, DAY, VOCABULARY)
    assert result.resolution.basis == "understood"
    assert 0 < result.confidence < 1.0
    assert result.to_dict()["understanding"]["family"] == "product-management"


MARKET_ITEMS = st.one_of(
    ITEMS,
    st.sampled_from(
        [
            "Senior Project Manager",
            "Staff Product Manager (m/w/d)",
            "Manager, Product Management",
            "Produktmanager",
            "SVP, Product",
            "Product Owner",
        ]
    ),
)


@settings(max_examples=100, deadline=None)
@given(ladders("alpha"))
def test_identity_with_understanding(ladder):
    for lv in ladder.levels:
        assert translate(ladder, ladder, TitleQuery(lv.title, lv.code), DAY, VOCABULARY).target_level == lv


@settings(max_examples=100, deadline=None)
@given(st.one_of(anchored_ladders(), st.just(ENTERPRISE)), st.one_of(ladders("bravo"), st.sampled_from(ALL_LADDERS)))
def test_reference_detour_with_understanding(a, b):
    assume(a.key != b.key)
    for lv in a.levels:
        rung = FRAMEWORK.get(lv.reference_level)
        if rung is None or rung.track != lv.track or (lv.scale_from, lv.scale_to) != (rung.scale_from, rung.scale_to):
            continue
        direct = translate(a, b, TitleQuery(lv.title, lv.code), DAY, VOCABULARY)
        to_reference = translate(a, REFERENCE, TitleQuery(lv.title, lv.code), DAY, VOCABULARY)
        onward = translate(REFERENCE, b, to_reference.target_level.title, DAY, VOCABULARY)
        same_answer(direct, onward)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([*ALL_LADDERS, REFERENCE]),
    st.sampled_from([*ALL_LADDERS, REFERENCE]),
    st.lists(MARKET_ITEMS, max_size=30),
)
def test_bulk_equals_single_with_understanding(source, target, items):
    batch = translate_many(source, target, items, DAY, VOCABULARY)
    assert batch == [translate(source, target, item, DAY, VOCABULARY) for item in items]
    for result in batch:
        assert 0.0 <= result.confidence <= 1.0
        if result.resolution is not None and result.resolution.basis == "understood":
            assert result.confidence < 1.0
        result.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([*ALL_LADDERS, REFERENCE]), st.text(max_size=120), st.one_of(st.none(), st.text(max_size=8)))
def test_understanding_never_raises(source, title, code):
    result = translate(source, REFERENCE, TitleQuery(title, code), DAY, VOCABULARY)
    result.to_dict()
    assert 0.0 <= result.confidence <= 1.0


def test_a_manager_named_before_the_function_is_never_fuzzed_into_a_product_manager():
    for title in ("Manager, Product", "Senior Manager, Product"):
        result = translate(ENTERPRISE, REFERENCE, title, DAY, VOCABULARY)
        assert result.resolution.basis == "understood", title
        assert result.target_level.track == "management", title


def test_a_code_in_the_title_is_read_at_the_reference_but_never_dropped_at_a_coded_ladder():
    at_reference = translate(REFERENCE, REFERENCE, "Principal Product Manager - Technical (L7)", DAY, VOCABULARY)
    assert at_reference.target_level.reference_level == "principal-pm"
    assert at_reference.resolution.understanding.codes == ("L7",)
    assert at_reference.confidence < 0.8  # a code whose meaning is another company's lowers it
    coded = resolve(ENTERPRISE, "Principal Product Manager - Technical (L9)", as_of=DAY, vocabulary=VOCABULARY)
    assert isinstance(coded, ResolveError) and "L9" in coded.detail

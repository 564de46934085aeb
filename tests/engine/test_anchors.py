"""Inferring reference anchors from titles and rank order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.engine.anchors import infer_anchors, title_hint
from ladder.engine.snapshot import FrameworkSnapshot
from tests.engine.ladders import FRAMEWORK

POSITION = {ref.slug: ref.position for ref in FRAMEWORK.reference_levels}


def test_typical_enterprise_ladder_without_anchors():
    ladder = [
        ("APM", "ic", 1, None),
        ("PM", "ic", 2, None),
        ("Senior PM", "ic", 3, None),
        ("Group PM", "management", 4, None),
        ("Principal PM", "ic", 5, None),
        ("Senior Principal PM", "ic", 6, None),
        ("Director", "management", 7, None),
        ("Senior Director", "management", 8, None),
        ("VP", "executive", 9, None),
        ("CPO", "executive", 10, None),
    ]
    # Written down before running: the IC track tops out at principal, a senior director is
    # still in the director band, and the executive rungs are named by their titles.
    expected = [
        "apm",
        "pm",
        "senior-pm",
        "group-pm",
        "principal-pm",
        "principal-pm",
        "director",
        "director",
        "vp",
        "cpo",
    ]
    assert infer_anchors(ladder, FRAMEWORK) == expected


def test_repeated_titles_are_spread_between_their_neighbours():
    ladder = [("Product Manager", "ic", rank, None) for rank in range(1, 6)]
    ladder.append(("Director of Product", "management", 6, None))
    assert infer_anchors(ladder, FRAMEWORK) == [
        "pm",
        "senior-pm",
        "senior-pm",
        "principal-pm",
        "principal-pm",
        "director",
    ]


def test_trailing_unknowns_stop_at_the_top_of_their_track():
    ladder = [("Product Manager", "ic", rank, None) for rank in range(1, 6)]
    assert infer_anchors(ladder, FRAMEWORK) == ["pm", "senior-pm", "principal-pm", "principal-pm", "principal-pm"]


def test_input_order_is_kept_and_rank_decides():
    ladder = [("CPO", "executive", 9, None), ("Senior PM", "ic", 3, None), ("Mystery", "ic", 1, None)]
    assert infer_anchors(ladder, FRAMEWORK) == ["cpo", "senior-pm", "pm"]


def test_explicit_anchors_are_fixed_points_and_win_over_titles():
    ladder = [
        ("Foo", None, 1, None),
        ("Bar", None, 2, None),
        ("Senior PM", "ic", 3, None),
        ("Baz", None, 4, "vp"),
        ("Director", "management", 5, None),  # says director, but sits above an explicit VP
    ]
    assert infer_anchors(ladder, FRAMEWORK) == ["apm", "pm", "senior-pm", "vp", "vp"]


def test_a_title_out_of_order_is_overruled_by_the_majority():
    ladder = [
        ("APM", "ic", 1, None),
        ("Principal PM", "ic", 2, None),  # out of place: a mislabelled rung
        ("PM", "ic", 3, None),
        ("Senior PM", "ic", 4, None),
        ("Director", "management", 5, None),
        ("VP", "executive", 6, None),
    ]
    # Keeping "Principal PM" would cost two titles (PM and Senior PM); dropping it costs one, and
    # the level is then placed halfway between its neighbours, rounding up.
    assert infer_anchors(ladder, FRAMEWORK) == ["apm", "pm", "pm", "senior-pm", "director", "vp"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Product Owner", "apm"),
        ("Junior Product Manager", "apm"),
        ("Staff PM", "principal-pm"),
        ("Lead Product Manager", "principal-pm"),
        ("Head of Product", "director"),
        ("SVP, Product", "vp"),
        ("Chief Product Officer", "cpo"),
        ("Senior Product Manager - Payments", "senior-pm"),
        ("Product Manager 2", None),
        ("Wizard", None),
    ],
)
def test_title_hints(title, slug):
    found = title_hint(title, FRAMEWORK)
    assert (found.slug if found else None) == slug


def test_no_levels_and_no_framework():
    assert infer_anchors([], FRAMEWORK) == []
    with pytest.raises(ValueError, match="no reference levels"):
        infer_anchors([("PM", "ic", 1, None)], FrameworkSnapshot(slug="empty", name="Empty", reference_levels=()))


_TITLES = st.sampled_from(
    ["APM", "PM", "Product Manager", "Senior PM", "Group PM", "Principal PM", "Director", "VP", "CPO", "Wizard", ""]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_TITLES, st.sampled_from([None, "ic", "management", "executive"]), st.integers(1, 30)),
        max_size=15,
    )
)
def test_inferred_anchors_never_go_down_the_scale(rows):
    ladder = [(title, track, rank, None) for title, track, rank in rows]
    anchors = infer_anchors(ladder, FRAMEWORK)
    assert len(anchors) == len(ladder)
    by_rank = sorted(range(len(ladder)), key=lambda i: (ladder[i][2], i))
    positions = [POSITION[anchors[i]] for i in by_rank]
    assert positions == sorted(positions)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TITLES, st.sampled_from([None, *POSITION])), min_size=1, max_size=12))
def test_explicit_anchors_are_always_kept(rows):
    ladder = [(title, None, rank, explicit) for rank, (title, explicit) in enumerate(rows, start=1)]
    anchors = infer_anchors(ladder, FRAMEWORK)
    for (_, _, _, explicit), anchor in zip(ladder, anchors, strict=True):
        if explicit is not None:
            assert anchor == explicit

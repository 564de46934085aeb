"""Career paths: next rungs, branches and what changes on the way."""

from __future__ import annotations

from ladder.engine.career import career_path, reference_for
from ladder.engine.results import FocusSplit
from ladder.engine.snapshot import LadderSnapshot
from tests.engine.ladders import CODED, ENTERPRISE, FRAMEWORK, NUMBERED, STARTUP, level


def test_senior_pm_next_level_is_the_next_rung_of_its_track_only():
    path = career_path(FRAMEWORK, ENTERPRISE, ENTERPRISE.level(13))
    assert path.reference_level == "senior-pm"
    assert [step.level.id for step in path.next_levels] == [14]
    first = path.next_levels[0]
    assert first.reference_level == "principal-pm"
    assert first.reason == "next rung on this track"
    assert first.responsibilities_gained == ("own a large product area",)
    assert (first.focus_before, first.focus_after) == (FocusSplit(55, 45), FocusSplit(50, 50))


def test_levels_sharing_the_next_rank_are_all_next():
    tied = LadderSnapshot.build(
        key="tied",
        framework="product-management",
        version=1,
        levels=[
            level(1, "Product Manager", 1.5, 2.5, rank=1, anchor="pm"),
            level(2, "Senior Product Manager", 2.5, 3.5, rank=2, anchor="senior-pm"),
            level(3, "Senior Product Manager, Platform", 2.5, 3.5, rank=2, anchor="senior-pm"),
            level(4, "Principal Product Manager", 3.5, 4.5, rank=3, anchor="principal-pm"),
        ],
    )
    path = career_path(FRAMEWORK, tied, tied.level(1))
    assert [step.level.id for step in path.next_levels] == [2, 3]
    assert all(b.level is None or b.level.id not in (2, 3) for b in path.branches)


def test_senior_pm_branches_in_reference_order_each_once_with_a_reason():
    path = career_path(FRAMEWORK, ENTERPRISE, ENTERPRISE.level(13))
    # Principal PM is the next level already, so the branches are Group PM, then Director.
    assert [b.reference_level for b in path.branches] == ["group-pm", "director"]
    assert [b.level.id for b in path.branches] == [21, 22]
    assert [b.reason for b in path.branches] == ["manages PMs", "manages PMs"]
    group = path.branches[0]
    assert group.track == "management"
    # Coaching is already part of senior PM work; managing a team is new.
    assert group.responsibilities_gained == ("manage a team of PMs",)
    assert group.focus_after == FocusSplit(40, 60)
    named = [s.level.id for s in (*path.next_levels, *path.branches) if s.level]
    assert len(named) == len(set(named))


def test_a_branch_without_its_own_next_level_says_larger_scope():
    managers_only = LadderSnapshot.build(
        key="managers",
        framework="product-management",
        version=1,
        levels=[
            level(1, "Senior PM", 2.5, 3.5, rank=1, anchor="senior-pm"),
            level(2, "Group PM", 3.5, 4.5, track="management", rank=2, anchor="group-pm"),
            level(3, "Principal PM", 3.5, 4.5, rank=3, anchor="principal-pm"),
        ],
    )
    path = career_path(FRAMEWORK, managers_only, managers_only.level(1))
    assert [s.level.id for s in path.next_levels] == [3]
    assert [(b.reference_level, b.level.id, b.reason) for b in path.branches if b.level] == [
        ("group-pm", 2, "manages PMs")
    ]


def test_startup_branches_name_the_one_wide_level_once():
    path = career_path(FRAMEWORK, STARTUP, STARTUP.level(2))
    assert [b.level.id for b in path.branches] == [3]
    assert path.next_levels == ()  # Head of Product is on the management track


def test_top_of_the_ladder_has_nowhere_to_go():
    path = career_path(FRAMEWORK, ENTERPRISE, ENTERPRISE.level(33))
    assert path.next_levels == ()
    assert path.branches == ()


def test_branch_without_a_matching_rung_has_no_level():
    only_juniors = LadderSnapshot.build(
        key="juniors",
        framework="product-management",
        version=1,
        levels=[level(1, "Junior PM", 0.5, 1.5, anchor="apm"), level(2, "PM", 1.5, 2.5, anchor="pm")],
    )
    path = career_path(FRAMEWORK, only_juniors, only_juniors.level(2))
    assert [(b.reference_level, b.level) for b in path.branches] == [("senior-pm", None)]
    assert path.branches[0].responsibilities_gained == ("lead without authority", "coach junior PMs")


def test_levels_within_one_rung_gain_nothing():
    path = career_path(FRAMEWORK, CODED, CODED.level(42))
    assert [step.level.code for step in path.next_levels] == ["IC5"]
    assert path.next_levels[0].reference_level == "senior-pm"


def test_a_level_without_anchor_is_placed_by_its_interval():
    assert reference_for(FRAMEWORK, NUMBERED.level(53)).slug == "senior-pm"
    path = career_path(FRAMEWORK, NUMBERED, NUMBERED.level(52))
    assert path.reference_level == "pm"
    assert [step.level.id for step in path.next_levels] == [53]

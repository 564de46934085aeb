"""Where a level leads: the next rung of the same ladder and the branches the framework knows.

The ladder tells which title comes next at this company; the reference framework tells what
changes on the way (responsibilities gained, and how the work shifts from hands-on product work
towards communication and leadership) and which branches exist (a Senior PM may become a Principal
PM, a Group PM or a Director). The answer names each ladder level once: first the next level on
the same track (several only when they share a rank), then the branches in reference order
(position, then individual contributor before management before executive), each with a short
reason, leaving out a branch that lands on a level already named.
"""

from __future__ import annotations

from ladder.engine.constants import TRACK_ORDER, TRACKS
from ladder.engine.levels import LevelSnap, ReferenceLevelSnap
from ladder.engine.match import Placement, match_level, rank_levels
from ladder.engine.results import CareerPath, CareerStep, FocusSplit
from ladder.engine.snapshot import FrameworkSnapshot, LadderSnapshot

__all__ = ["BRANCH_REASONS", "NEXT_REASON", "career_path", "reference_for"]

NEXT_REASON = "next rung on this track"
# Why a branch differs from going on: by the track of the reference level it leads to.
BRANCH_REASONS: dict[str, str] = {
    "ic": "larger scope, no reports",
    "management": "manages PMs",
    "executive": "runs a product organisation",
}


def reference_for(framework: FrameworkSnapshot, level: LevelSnap) -> ReferenceLevelSnap | None:
    """The level's anchor, or failing that the reference rung its interval matches best."""
    anchored = framework.get(level.reference_level)
    if anchored is not None:
        return anchored
    best = match_level(level, None, framework.ladder).best
    return framework.get(best.level.reference_level) if best is not None else None


def _step(
    level: LevelSnap | None,
    before: ReferenceLevelSnap | None,
    after: ReferenceLevelSnap | None,
    track: str,
    reason: str,
) -> CareerStep:
    if after is None or (before is not None and after.slug == before.slug):
        gained: tuple[str, ...] = ()
    else:
        known = set(before.responsibilities) if before is not None else set()
        gained = tuple(r for r in after.responsibilities if r not in known)
    return CareerStep(
        level=level,
        reference_level=after.slug if after else None,
        reference_name=after.name if after else None,
        track=track,
        responsibilities_gained=gained,
        focus_before=FocusSplit.of(before),
        focus_after=FocusSplit.of(after),
        reason=reason,
    )


def career_path(framework: FrameworkSnapshot, ladder: LadderSnapshot, level: LevelSnap) -> CareerPath:
    """The next level(s) on ``level``'s track and the framework's branches from its anchor.

    The next level is the lowest-ranked level above ``level`` on its track (all of them when
    several share that rank). A branch lands on the higher-ranked ladder level that overlaps the
    branch's reference rung best, or on no level when the ladder has nothing there; a branch whose
    landing level is already named (as the next level or by an earlier branch) is left out, so
    no level appears twice.
    """
    current = reference_for(framework, level)

    above = [c for c in ladder.levels if c.track == level.track and c.rank > level.rank and c.id != level.id]
    nearest_rank = min((c.rank for c in above), default=None)
    next_steps: list[CareerStep] = []
    named: set[int] = set()
    for candidate in above:
        if candidate.rank != nearest_rank:
            continue
        ref = reference_for(framework, candidate)
        next_steps.append(_step(candidate, current, ref, candidate.track, NEXT_REASON))
        named.add(candidate.id)

    branches: list[CareerStep] = []
    if current is not None:
        higher = [c for c in ladder.levels if c.rank > level.rank and c.id != level.id]
        targets = [t for slug in dict.fromkeys(current.promotes_to) if (t := framework.get(slug)) is not None]
        targets.sort(key=lambda t: (t.position, TRACK_ORDER.get(t.track, len(TRACKS))))
        for target in targets:
            placement = Placement(target.scale_from, target.scale_to, target.track)
            landing = next((c.level for c in rank_levels(placement, higher) if c.basis != "nearest"), None)
            if landing is not None:
                if landing.id in named:
                    continue
                named.add(landing.id)
            reason = BRANCH_REASONS.get(target.track, "")
            branches.append(_step(landing, current, target, target.track, reason))

    return CareerPath(
        level=level,
        reference_level=current.slug if current else None,
        next_levels=tuple(next_steps),
        branches=tuple(branches),
    )

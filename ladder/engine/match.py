"""Place a level on the reference scale and find its counterpart in another ladder.

Every level occupies an interval ``[scale_from, scale_to)`` of the reference scale. A source level
is compared with every active level of the target ladder. Each candidate gets a quality in 0..1,
which becomes the confidence once multiplied by the resolution score:

* for a level that overlaps the source, ``weight x sqrt(covered share of source x covered share
  of target)``: 1.0 for an identical interval on the same track, lower when either interval is
  much wider than the other; the track weight is 1.0 for the same track, 0.75 between the two
  leadership tracks (management and executive) and 0.5 otherwise;
* for a level that does not overlap, ``weight x 0.3 x max(0, 1 - gap)``.

Candidates are ranked by:

1. whether the intervals overlap at all (anything that overlaps beats anything that does not);
2. for overlapping candidates, track closeness (same track, then leadership neighbour, then the
   other track; the basis is ``overlap`` for the same track and ``track_fallback`` otherwise),
   then quality, higher first; for candidates that do not overlap (basis ``nearest``), quality
   first, then the gap between the intervals, then track closeness;
3. distance between the interval midpoints;
4. difference in span length (a same-sized interval is the better counterpart);
5. the source level itself, when the target is the source's own ladder;
6. rank, then id, so that the answer is deterministic.

Track closeness outranks quality, so a cross-track level can have a higher formula value than a
same-track level ranked before it (an executive level with the source's exact interval, 0.75,
after a same-track level that overlaps it by 60%, 0.6). Reported qualities are therefore capped
down the ranking: each candidate's quality is at most that of the candidate before it. The best
level always has the highest confidence, alternatives come in non-increasing confidence, and a
capped candidate ties with the one before it.

Properties the ranking guarantees (checked by property tests):

* A -> A returns the source level.
* A -> B -> A returns the source level L when B has a level on L's track with exactly L's interval
  and no other level of A has both L's track and L's interval (such a twin is the only candidate
  of quality 1.0 on the same track, so it wins both ways).
* A -> reference -> B gives the same target level and the same alternatives as A -> B for every
  level L whose interval is the default span of a reference level on L's own track (position
  +- 0.5, the placement a level gets from its anchor unless a custom span is set), because the
  reference level chosen for L then carries exactly L's interval and track. For a custom span
  (a startup's "Head of Product" over 3.5-6.5) the reference ladder is coarser than the source,
  so the detour through it loses information and A -> B is the more precise answer; the one
  exception to the statement above is B = A itself, where step 5 prefers L over an identically
  placed twin that the detour would pick by rank.

Match results are memoised in one process-wide table of fixed size, keyed by the target's index
token, the placement and the source level, so the memory they take does not grow with the number
of snapshots a process keeps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ladder.engine.constants import ALTERNATIVES, LEADERSHIP_TRACKS, MATCH_MEMO_LIMIT, NEAREST_FACTOR, TRACK_WEIGHTS
from ladder.engine.levels import LevelSnap
from ladder.engine.results import MatchCandidate, MatchResult
from ladder.engine.snapshot import LadderSnapshot

__all__ = [
    "Placement",
    "match_level",
    "match_placement",
    "rank_levels",
    "track_distance",
]

# Gaps between intervals are compared rounded to this many digits, so float noise never decides a rank.
_DIGITS = 9

# (target index token, placement, own level id) -> MatchResult
_matches: dict[tuple[Any, ...], MatchResult] = {}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a level sits: its interval on the reference scale and its track."""

    scale_from: float
    scale_to: float
    track: str

    @classmethod
    def of(cls, level: LevelSnap) -> Placement:
        """The level's interval; an empty or inverted interval is read as the unit span centred on its start."""
        start, end = float(level.scale_from), float(level.scale_to)
        if not end > start:
            start, end = start - 0.5, start + 0.5
        return cls(start, end, level.track)


def track_distance(source_track: str, target_track: str) -> int:
    """0 for the same track, 1 between management and executive, 2 otherwise."""
    if source_track == target_track:
        return 0
    if source_track in LEADERSHIP_TRACKS and target_track in LEADERSHIP_TRACKS:
        return 1
    return 2


def match_level(level: LevelSnap, source: LadderSnapshot | None, target: LadderSnapshot) -> MatchResult:
    """Match a level of ``source`` against ``target`` (``source`` may be None when unknown)."""
    own = level.id if source is not None and source.key == target.key else None
    return match_placement(Placement.of(level), target, own_level_id=own)


def match_placement(placement: Placement, target: LadderSnapshot, own_level_id: int | None = None) -> MatchResult:
    """Rank every level of ``target`` against ``placement``; see the module docstring for the rules.

    ``own_level_id`` names the source level when ``target`` is its own ladder, so that it wins a
    tie against an identically placed twin.
    """
    key = (target.index.token, placement, own_level_id)
    cached = _matches.get(key)
    if cached is not None:
        return cached

    ranked = rank_levels(placement, target.levels, own_level_id)

    if not ranked:
        result = MatchResult(best=None, alternatives=())
    else:
        others = tuple(c for c in ranked[1:] if c.quality > 0)[:ALTERNATIVES]
        result = MatchResult(best=ranked[0], alternatives=others)
    if len(_matches) >= MATCH_MEMO_LIMIT:
        _matches.clear()
    _matches[key] = result
    return result


def rank_levels(
    placement: Placement, levels: Iterable[LevelSnap], own_level_id: int | None = None
) -> list[MatchCandidate]:
    """Every level of ``levels`` as a candidate for ``placement``, best first, qualities capped."""
    start, end, track = placement.scale_from, placement.scale_to, placement.track
    span = end - start
    mid = (start + end) / 2
    ranked: list[tuple[tuple[float | int, ...], MatchCandidate]] = []
    for level in levels:
        t_start, t_end = float(level.scale_from), float(level.scale_to)
        if not t_end > t_start:
            t_start, t_end = t_start - 0.5, t_start + 0.5
        t_span = t_end - t_start
        distance = track_distance(track, level.track)
        weight = TRACK_WEIGHTS[distance]
        overlap = min(end, t_end) - max(start, t_start)
        mid_gap = round(abs((t_start + t_end) / 2 - mid), _DIGITS)
        span_gap = round(abs(t_span - span), _DIGITS)
        not_own = 0 if level.id == own_level_id else 1
        if overlap > 0:
            quality = round(weight * math.sqrt(overlap / span * overlap / t_span), 6)
            basis = "overlap" if distance == 0 else "track_fallback"
            order: tuple[float | int, ...] = (
                0,
                distance,
                -quality,
                mid_gap,
                span_gap,
                not_own,
                level.rank,
                level.id,
            )
        else:
            gap = round(max(t_start - end, start - t_end, 0.0), _DIGITS)
            quality = round(weight * NEAREST_FACTOR * max(0.0, 1.0 - gap), 6)
            basis = "nearest"
            order = (1, -quality, gap, distance, mid_gap, span_gap, not_own, level.rank, level.id)
        ranked.append((order, MatchCandidate(level, quality, basis)))
    ranked.sort(key=lambda pair: pair[0])
    capped: list[MatchCandidate] = []
    ceiling = 1.0
    for _, candidate in ranked:
        if candidate.quality > ceiling:
            candidate = replace(candidate, quality=ceiling)
        ceiling = candidate.quality
        capped.append(candidate)
    return capped

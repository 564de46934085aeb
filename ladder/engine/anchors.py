"""Guess the reference level (anchor) of each level of a ladder that does not state one.

Two sources of evidence are combined:

* the title: a title that resolves in the reference ladder ("Senior Product Manager", "VP") names
  its rung; otherwise its seniority words do ("Senior Principal PM" -> the highest rung whose name
  shares most of them, here Principal PM; "Staff" and "Lead" read as "Principal", "Head" as
  "Director", "Junior" as "Associate");
* the rank order: anchors never go down the scale as rank goes up. Explicit anchors are fixed
  points; title guesses that would break the order are discarded (the largest consistent set is
  kept); levels left without a guess, including repeated titles such as "Product Manager" for
  IC3..IC7, are spread evenly between their known neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ladder.engine.constants import EXPLICIT_ANCHOR_WEIGHT, TRACK_ORDER, TRACKS
from ladder.engine.levels import LevelSnap, ReferenceLevelSnap
from ladder.engine.match import track_distance
from ladder.engine.normalize import SENIORITY_WORDS, normalize_title
from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution
from ladder.engine.snapshot import FrameworkSnapshot

__all__ = ["SENIORITY_SYNONYMS", "infer_anchors", "ladder_warnings", "settle_inferred_spans", "title_hint"]

# Seniority words that reference names rarely use, read as the word they usually stand for.
SENIORITY_SYNONYMS: dict[str, str] = {
    "staff": "principal",
    "lead": "principal",
    "distinguished": "principal",
    "fellow": "principal",
    "head": "director",
    "junior": "associate",
    "entry": "associate",
    "intern": "associate",
    "graduate": "associate",
    "trainee": "associate",
    "apprentice": "associate",
    "assistant": "associate",
}

# Reference aliases are undated: any day resolves them alike.
_ANY_DAY = date(2000, 1, 1)

LevelSpec = tuple[str, str | None, int, str | None]


def _seniority(title: str) -> set[str]:
    words = set(normalize_title(title).split()) & SENIORITY_WORDS
    return {SENIORITY_SYNONYMS.get(word, word) for word in words}


def title_hint(title: str, framework: FrameworkSnapshot) -> ReferenceLevelSnap | None:
    """The reference rung a title names, or None when the title says nothing about seniority."""
    found = resolve(framework.ladder, title or "", as_of=_ANY_DAY)
    if isinstance(found, Resolution):
        return framework.get(found.level.reference_level)
    words = _seniority(title or "")
    if not words:
        return None
    best: tuple[int, int, int] | None = None
    choice: ReferenceLevelSnap | None = None
    for position_order, ref in enumerate(framework.reference_levels):
        shared = len(words & _seniority(ref.name))
        if not shared:
            continue
        key = (shared, ref.position, -position_order)
        if best is None or key > best:
            best, choice = key, ref
    return choice


def _pick(framework: FrameworkSnapshot, position: int, track: str | None) -> ReferenceLevelSnap:
    """The rung at ``position`` closest to ``track`` (the nearest position if none sits there)."""
    positions = sorted({ref.position for ref in framework.reference_levels})
    if position not in positions:
        position = min(positions, key=lambda p: (abs(p - position), p))
    at = [ref for ref in framework.reference_levels if ref.position == position]
    if track is None:
        return at[0]
    return min(at, key=lambda ref: (track_distance(track, ref.track), TRACK_ORDER.get(ref.track, len(TRACKS))))


def _top_position(framework: FrameworkSnapshot, track: str | None) -> int:
    on_track = [ref.position for ref in framework.reference_levels if track is None or ref.track == track]
    return max(on_track or [ref.position for ref in framework.reference_levels])


def _consistent_subset(entries: list[tuple[int, int, int]]) -> set[int]:
    """Heaviest subsequence of (order, position, weight) entries with non-decreasing positions."""
    best: list[int] = []
    back: list[int] = []
    for j, (_, pos_j, weight_j) in enumerate(entries):
        score, prev = weight_j, -1
        for i in range(j):
            if entries[i][1] <= pos_j and best[i] + weight_j > score:
                score, prev = best[i] + weight_j, i
        best.append(score)
        back.append(prev)
    if not entries:
        return set()
    j = max(range(len(entries)), key=lambda k: (best[k], -k))
    kept: set[int] = set()
    while j != -1:
        kept.add(entries[j][0])
        j = back[j]
    return kept


def infer_anchors(levels: Sequence[LevelSpec], framework: FrameworkSnapshot) -> list[str]:
    """One reference-level slug per ``(title, track, rank, explicit_anchor)``, in input order."""
    if not levels:
        return []
    if not framework.reference_levels:
        raise ValueError(f"Framework {framework.slug!r} has no reference levels to anchor to.")

    order = sorted(range(len(levels)), key=lambda i: (levels[i][2], i))
    fixed: dict[int, ReferenceLevelSnap] = {}
    hints: dict[int, ReferenceLevelSnap] = {}
    seen_titles: set[str] = set()
    for i in order:
        title, _, _, explicit = levels[i]
        ref = framework.get(explicit)
        if ref is not None:
            fixed[i] = ref
        norm = normalize_title(title or "")
        if norm in seen_titles:
            continue  # a repeated title tells nothing new about this level
        seen_titles.add(norm)
        if ref is None:
            hint = title_hint(title, framework)
            if hint is not None:
                hints[i] = hint

    entries = [
        (i, (fixed.get(i) or hints[i]).position, EXPLICIT_ANCHOR_WEIGHT if i in fixed else 1)
        for i in order
        if i in fixed or i in hints
    ]
    kept = _consistent_subset(entries)
    known: dict[int, int] = {i: pos for i, pos, _ in entries if i in kept}

    result: dict[int, str] = {i: ref.slug for i, ref in fixed.items()}
    for i in order:
        if i in hints and i in kept:
            result[i] = hints[i].slug

    lowest = min(ref.position for ref in framework.reference_levels)
    sequence = [known.get(i) for i in order]
    for start in range(len(order)):
        if sequence[start] is not None or (start and sequence[start - 1] is None):
            continue
        end = start
        while end < len(order) and sequence[end] is None:
            end += 1
        lo = sequence[start - 1] if start else None
        hi = sequence[end] if end < len(order) else None
        gap = end - start + 1
        floor = lo if lo is not None else lowest
        for k, at in enumerate(range(start, end), start=1):
            i = order[at]
            if i in result:
                continue
            track = levels[i][1]
            if lo is not None and hi is not None:
                position = min(max(int(lo + (hi - lo) * k / gap + 0.5), lo), hi)
            elif lo is not None:
                position = max(min(lo + k, _top_position(framework, track)), lo)
            elif hi is not None:
                position = max(hi - (gap - k), lowest)
            else:
                position = min(lowest + k - 1, _top_position(framework, track))
            # A track's ceiling must not pull a level below the one before it.
            floor = position = max(position, floor)
            result[i] = _pick(framework, position, track).slug
    return [result[i] for i in range(len(levels))]


def settle_inferred_spans(levels: Iterable[LevelSnap]) -> list[LevelSnap]:
    """Give a level with an inferred anchor a span of its own instead of a copy of a neighbour's.

    Anchors are rungs, so an inferred "Staff PM" ranked between an explicit Senior PM and an
    explicit Principal PM lands on the Principal rung, and the two would share one interval:
    translations between them would tie. Levels of one track that share an interval, when at
    least one of them was inferred, split it into equal parts in rank order ("Staff PM" takes the
    lower half of the Principal rung, "Principal PM" the upper). Levels with a span of their own
    and groups of explicit levels are left as they are: the company placed them.
    """
    levels = list(levels)
    groups: dict[tuple[str, float, float], list[LevelSnap]] = {}
    for level in levels:
        groups.setdefault((level.track, level.scale_from, level.scale_to), []).append(level)
    moved: dict[int, LevelSnap] = {}
    for (_, start, end), members in groups.items():
        if len(members) < 2 or not any(level.inferred for level in members):
            continue
        members.sort(key=lambda level: (level.rank, level.id))
        width = (end - start) / len(members)
        for i, level in enumerate(members):
            low = round(start + i * width, 6)
            high = end if i == len(members) - 1 else round(start + (i + 1) * width, 6)
            moved[level.id] = replace(level, scale_from=low, scale_to=high)
    return [moved.get(level.id, level) for level in levels]


def ladder_warnings(levels: Iterable[LevelSnap]) -> list[dict[str, Any]]:
    """Problems of a ladder's placement that make translations into it less certain.

    ``tied_levels``: two levels of one track with the same interval (a translation into the ladder
    cannot tell them apart and falls back on rank); ``overlapping_spans``: two levels of one track
    whose intervals overlap in part; ``inferred_anchor``: a level placed by a guess, which answers
    with lower confidence until its reference level is stated.
    """
    by_track: dict[str, list[LevelSnap]] = {}
    warnings: list[dict[str, Any]] = []
    for level in sorted(levels, key=lambda lv: (lv.rank, lv.id)):
        by_track.setdefault(level.track, []).append(level)
        if level.inferred:
            warnings.append(
                {
                    "code": "inferred_anchor",
                    "detail": f"{level.title!r}: its reference level ({level.reference_level}) was inferred from "
                    f"its title and rank, and it spans {level.scale_from:g}-{level.scale_to:g}. State "
                    "reference_level to make it explicit.",
                    "levels": [level.id],
                }
            )
    for track, members in by_track.items():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                overlap = min(first.scale_to, second.scale_to) - max(first.scale_from, second.scale_from)
                if overlap <= 0:
                    continue
                same = (first.scale_from, first.scale_to) == (second.scale_from, second.scale_to)
                code = "tied_levels" if same else "overlapping_spans"
                detail = f"{first.title!r} and {second.title!r} ({track}) " + (
                    f"both span {first.scale_from:g}-{first.scale_to:g}: translations into this ladder "
                    "choose between them by rank."
                    if same
                    else f"overlap on {max(first.scale_from, second.scale_from):g}-"
                    f"{min(first.scale_to, second.scale_to):g}."
                )
                warnings.append({"code": code, "detail": detail, "levels": [first.id, second.id]})
    return warnings

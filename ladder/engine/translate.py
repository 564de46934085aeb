"""Translate titles from one ladder into another: resolve, place on the scale, match, answer.

The confidence of an answer is ``resolution score x match quality``, rounded to three decimals:
1.0 for an exact title whose level has an identical counterpart, lower for fuzzy resolutions,
expired aliases, understood titles, cross-track answers and intervals of different widths, and
multiplied by ``INFERRED_FACTOR`` when the source or the target level's anchor was inferred rather
than stated (the result's ``notes`` then say so). An understood title (basis ``understood``) is
matched from the interval its parse gives, not from the source level it sits beside.
``ladder.engine.match`` defines the quality and the ranking: overlapping levels first, the same
track before a leadership neighbour before the other track, then the higher quality. Qualities
are capped down that ranking, so the target level always has the highest confidence and the
alternatives (the next three levels with a confidence above zero) follow in non-increasing
confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ladder.engine.constants import INFERRED_FACTOR
from ladder.engine.levels import LevelSnap
from ladder.engine.match import Placement, match_level, match_placement
from ladder.engine.resolve import resolve
from ladder.engine.results import Alternative, Resolution, ResolveError, TitleQuery, TranslationResult
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.understand import Vocabulary

__all__ = [
    "translate",
    "translate_level",
    "translate_many",
]

INFERRED_SOURCE_NOTE = "The source level's reference level was inferred from its title and rank, not stated."
INFERRED_TARGET_NOTE = "The target level's reference level was inferred from its title and rank, not stated."


Item = str | TitleQuery | Mapping[str, Any]


def _as_query(item: Any) -> tuple[str | TitleQuery, str, str | None]:
    """Read an item as (what to echo back, title, code); anything odd becomes a string."""
    if isinstance(item, str):
        return item, item, None
    if isinstance(item, TitleQuery):
        return item, item.title if isinstance(item.title, str) else str(item.title or ""), item.code
    if isinstance(item, Mapping):
        title = item.get("title")
        code = item.get("code")
        query = TitleQuery(
            title="" if title is None else str(title),
            code=None if code is None or code == "" else str(code),
        )
        return query, query.title, query.code
    text = "" if item is None else str(item)
    return text, text, None


def _confidence(resolution: Resolution, quality: float, inferred: bool) -> float:
    """The resolution's score times the match quality, lowered when an anchor was inferred."""
    factor = INFERRED_FACTOR if inferred else 1.0
    return round(resolution.score * quality * factor, 3)


# What matching contributes to a result: target level, confidence, basis, alternatives, notes.
_Answer = tuple[LevelSnap, float, str, tuple[Alternative, ...], tuple[str, ...]]


def _answer(source: LadderSnapshot, target: LadderSnapshot, resolution: Resolution) -> _Answer | None:
    understood = resolution.understanding
    if resolution.basis == "understood" and understood is not None and understood.placed:
        (start, end), track = understood.span, understood.track
        matched = match_placement(Placement(start, end, track), target)
    else:
        matched = match_level(resolution.level, source, target)
    if matched.best is None:
        return None
    # An understood title is placed by its parse, so the level beside it lends it no anchor.
    inferred_source = resolution.level.inferred and resolution.basis != "understood"
    alternatives = tuple(
        Alternative(c.level, _confidence(resolution, c.quality, inferred_source or c.level.inferred), c.basis)
        for c in matched.alternatives
    )
    notes: tuple[str, ...] = ()
    if inferred_source:
        notes += (INFERRED_SOURCE_NOTE,)
    if matched.best.level.inferred:
        notes += (INFERRED_TARGET_NOTE,)
    best = matched.best
    confidence = _confidence(resolution, best.quality, inferred_source or best.level.inferred)
    return best.level, confidence, best.basis, alternatives, notes


def _translate(
    source: LadderSnapshot,
    target: LadderSnapshot,
    echo: str | TitleQuery,
    title: str,
    code: str | None,
    day: date,
    answers: dict[tuple[Any, ...], _Answer | None] | None = None,
    vocabulary: Vocabulary | None = None,
) -> TranslationResult:
    resolution = resolve(source, title, code, day, vocabulary)
    if isinstance(resolution, ResolveError):
        return TranslationResult(echo, None, None, None, 0.0, None, (), resolution)
    understood = resolution.understanding if resolution.basis == "understood" else None
    key = (
        resolution.level.id,
        resolution.score,
        understood.span if understood else None,
        understood and understood.track,
    )
    if answers is not None and key in answers:
        answer = answers[key]
    else:
        answer = _answer(source, target, resolution)
        if answers is not None:
            answers[key] = answer
    if answer is None:
        error = ResolveError("empty_target", "The target ladder has no active levels.")
        return TranslationResult(echo, resolution.level, resolution, None, 0.0, None, (), error)
    target_level, confidence, basis, alternatives, notes = answer
    return TranslationResult(
        echo, resolution.level, resolution, target_level, confidence, basis, alternatives, None, notes
    )


def translate(
    source: LadderSnapshot,
    target: LadderSnapshot,
    item: Item,
    as_of: date | None = None,
    vocabulary: Vocabulary | None = None,
) -> TranslationResult:
    """Translate one title (a string, a ``TitleQuery`` or a ``{"title", "code"}`` mapping).

    With a ``vocabulary`` the title is also understood when the source ladder does not hold it
    (see ``ladder.engine.resolve.resolve``).
    """
    echo, title, code = _as_query(item)
    return _translate(source, target, echo, title, code, as_of or date.today(), vocabulary=vocabulary)


def translate_many(
    source: LadderSnapshot,
    target: LadderSnapshot,
    items: Iterable[Item],
    as_of: date | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[TranslationResult]:
    """Translate a batch: one result per item, in input order, each distinct item computed once."""
    day = as_of or date.today()
    done: dict[tuple[type, str, str | None], TranslationResult] = {}
    answers: dict[tuple[Any, ...], _Answer | None] = {}
    results: list[TranslationResult] = []
    for item in items:
        echo, title, code = _as_query(item)
        key = (type(echo), title, code)
        result = done.get(key)
        if result is None:
            result = _translate(source, target, echo, title, code, day, answers, vocabulary)
            done[key] = result
        results.append(result)
    return results


def translate_level(source: LadderSnapshot, target: LadderSnapshot, level: LevelSnap) -> TranslationResult:
    """Translate a level of ``source`` itself: what translating its exact title answers (score 1.0).

    The comparison chart uses this for every box, so its links are the answers ``/translate`` gives.
    """
    resolution = Resolution(level=level, basis="exact", score=1.0, matched=level.title)
    answer = _answer(source, target, resolution)
    if answer is None:
        error = ResolveError("empty_target", "The target ladder has no active levels.")
        return TranslationResult(level.title, level, resolution, None, 0.0, None, (), error)
    target_level, confidence, basis, alternatives, notes = answer
    return TranslationResult(level.title, level, resolution, target_level, confidence, basis, alternatives, None, notes)

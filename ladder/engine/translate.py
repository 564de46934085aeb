"""Translate titles from one ladder into another: resolve, place on the scale, match, answer.

The confidence of an answer is ``resolution score x match quality``, rounded to three decimals:
1.0 for an exact title whose level has an identical counterpart, lower for fuzzy resolutions,
cross-track answers and intervals of different widths. ``ladder.engine.match`` defines the quality
and the ranking: overlapping levels first, the same track before a leadership neighbour before the
other track, then the higher quality. Qualities are capped down that ranking, so the target level
always has the highest confidence and the alternatives (the next three levels with a confidence
above zero) follow in non-increasing confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ladder.engine.match import MatchCandidate, match_level
from ladder.engine.resolve import Resolution, ResolveError, resolve
from ladder.engine.snapshot import LadderSnapshot, LevelSnap

__all__ = ["Alternative", "TitleQuery", "TranslationResult", "translate", "translate_level", "translate_many"]


@dataclass(frozen=True, slots=True)
class TitleQuery:
    """A title with the level code given beside it (``{"title": ..., "code": ...}`` in the API)."""

    title: str
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "code": self.code}


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runner-up target level."""

    level: LevelSnap
    confidence: float
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level.to_dict(), "confidence": self.confidence, "basis": self.basis}


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """The answer for one input item; ``error`` is set exactly when no target level was found."""

    input: str | TitleQuery
    source_level: LevelSnap | None
    resolution: Resolution | None
    target_level: LevelSnap | None
    confidence: float
    basis: str | None
    alternatives: tuple[Alternative, ...]
    error: ResolveError | None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """One element of ``results`` in the translate API answer."""
        return {
            "input": self.input.to_dict() if isinstance(self.input, TitleQuery) else self.input,
            "source_level": self.source_level.to_dict() if self.source_level else None,
            "resolution": self.resolution.to_dict() if self.resolution else None,
            "target_level": self.target_level.to_dict() if self.target_level else None,
            "confidence": self.confidence,
            "basis": self.basis,
            "alternatives": [alt.to_dict() for alt in self.alternatives],
            "error": self.error.to_dict() if self.error else None,
        }


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


def _confidence(resolution: Resolution, candidate: MatchCandidate) -> float:
    return round(resolution.score * candidate.quality, 3)


# What matching contributes to a result: target level, confidence, basis, alternatives.
_Answer = tuple[LevelSnap, float, str, tuple[Alternative, ...]]


def _answer(source: LadderSnapshot, target: LadderSnapshot, resolution: Resolution) -> _Answer | None:
    matched = match_level(resolution.level, source, target)
    if matched.best is None:
        return None
    alternatives = tuple(Alternative(c.level, _confidence(resolution, c), c.basis) for c in matched.alternatives)
    return matched.best.level, _confidence(resolution, matched.best), matched.best.basis, alternatives


def _translate(
    source: LadderSnapshot,
    target: LadderSnapshot,
    echo: str | TitleQuery,
    title: str,
    code: str | None,
    day: date,
    answers: dict[tuple[int, float], _Answer | None] | None = None,
) -> TranslationResult:
    resolution = resolve(source, title, code, day)
    if isinstance(resolution, ResolveError):
        return TranslationResult(echo, None, None, None, 0.0, None, (), resolution)
    key = (resolution.level.id, resolution.score)
    if answers is not None and key in answers:
        answer = answers[key]
    else:
        answer = _answer(source, target, resolution)
        if answers is not None:
            answers[key] = answer
    if answer is None:
        error = ResolveError("empty_target", "The target ladder has no active levels.")
        return TranslationResult(echo, resolution.level, resolution, None, 0.0, None, (), error)
    target_level, confidence, basis, alternatives = answer
    return TranslationResult(echo, resolution.level, resolution, target_level, confidence, basis, alternatives, None)


def translate(
    source: LadderSnapshot, target: LadderSnapshot, item: Item, as_of: date | None = None
) -> TranslationResult:
    """Translate one title (a string, a ``TitleQuery`` or a ``{"title", "code"}`` mapping)."""
    echo, title, code = _as_query(item)
    return _translate(source, target, echo, title, code, as_of or date.today())


def translate_many(
    source: LadderSnapshot, target: LadderSnapshot, items: Iterable[Item], as_of: date | None = None
) -> list[TranslationResult]:
    """Translate a batch: one result per item, in input order, each distinct item computed once."""
    day = as_of or date.today()
    done: dict[tuple[type, str, str | None], TranslationResult] = {}
    answers: dict[tuple[int, float], _Answer | None] = {}
    results: list[TranslationResult] = []
    for item in items:
        echo, title, code = _as_query(item)
        key = (type(echo), title, code)
        result = done.get(key)
        if result is None:
            result = _translate(source, target, echo, title, code, day, answers)
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
    target_level, confidence, basis, alternatives = answer
    return TranslationResult(level.title, level, resolution, target_level, confidence, basis, alternatives, None)

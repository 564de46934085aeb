"""What the engine answers: plain dataclasses, each with the shape the API gives it (``to_dict``).

A parse of a title (``Understanding``), a title resolved in a ladder or why not (``Resolution``,
``ResolveError``), a level matched against another ladder (``MatchCandidate``, ``MatchResult``), a
translation (``TranslationResult`` with its ``Alternative`` levels, echoing a ``TitleQuery``) and a
career path (``CareerPath``, ``CareerStep``, ``FocusSplit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ladder.engine.levels import AliasSnap, LevelSnap, ReferenceLevelSnap

__all__ = [
    "Alternative",
    "CareerPath",
    "CareerStep",
    "FocusSplit",
    "MatchCandidate",
    "MatchResult",
    "Resolution",
    "ResolveError",
    "TitleQuery",
    "TranslationResult",
    "Understanding",
]


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to build, and parses are many
class Understanding:
    """What the parser read in a title (see ``ladder.engine.understand``).

    ``family`` is a family slug or None when the title names none; ``span`` is the interval on the
    reference scale, set only for product-management titles whose seniority could be read;
    ``ignored`` lists the parts left out (noise, team, product, location); ``unknown`` the words
    of the title proper that the vocabulary does not know.
    """

    title: str
    family: str | None
    family_name: str | None
    is_product_management: bool
    qualifiers: tuple[str, ...]
    seniority: tuple[str, ...]
    numbers: tuple[int, ...]
    codes: tuple[str, ...]
    track: str | None
    manages: bool
    span: tuple[float, float] | None
    ignored: tuple[str, ...]
    unknown: tuple[str, ...]
    languages: tuple[str, ...]
    reading: str
    certainty: float

    @property
    def placed(self) -> bool:
        return self.span is not None and self.track is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "family_name": self.family_name,
            "qualifiers": list(self.qualifiers),
            "seniority": list(self.seniority),
            "numbers": list(self.numbers),
            "codes": list(self.codes),
            "track": self.track,
            "manages_product_managers": self.manages,
            "span": list(self.span) if self.span else None,
            "ignored": list(self.ignored),
            "unknown_words": list(self.unknown),
            "languages": list(self.languages),
            "reading": self.reading,
            "certainty": self.certainty,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """A title resolved to a level.

    ``basis`` is one of ``exact``, ``alias``, ``normalized``, ``fuzzy``, ``code``, ``expired_alias``
    or ``understood``; ``score`` is 1.0 for a ladder hit, the similarity (0..1) of what was written
    to what matched for a fuzzy match, ``EXPIRED_ALIAS_SCORE`` for an alias used outside its
    validity window (``alias`` names it) and the parse's certainty for a title placed from what it
    says (``understanding``); ``matched`` is the ladder string (title, alias or code) that matched.
    An understood title's ``level`` is the ladder level it sits beside, not a level it names.
    """

    level: LevelSnap
    basis: str
    score: float
    matched: str
    alias: AliasSnap | None = None
    understanding: Understanding | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"basis": self.basis, "score": self.score}
        if self.basis == "expired_alias" and self.alias is not None:
            data["alias"] = self.alias.title
            data["window"] = {
                "valid_from": self.alias.valid_from.isoformat() if self.alias.valid_from else None,
                "valid_to": self.alias.valid_to.isoformat() if self.alias.valid_to else None,
            }
        return data


@dataclass(frozen=True, slots=True)
class ResolveError:
    """Why a title could not be resolved.

    ``code`` is machine-readable: ``empty_title``, ``unknown_code``, ``ambiguous_title``,
    ``code_title_mismatch``, ``other_job_family`` or ``unresolved_title``. ``suggestions`` holds
    close level titles and ``candidates`` the levels an ambiguous or contradictory request could
    mean; ``family`` is the job family detected for ``other_job_family``, and ``understanding``
    what the parser read in the title, when it was asked.
    """

    code: str
    detail: str
    suggestions: tuple[str, ...] = ()
    candidates: tuple[LevelSnap, ...] = ()
    family: str | None = None
    understanding: Understanding | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "detail": self.detail,
            "suggestions": list(self.suggestions),
            "candidates": [level.to_dict() for level in self.candidates],
        }
        if self.family is not None:
            data["family"] = self.family
        return data


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """A target level with its match quality (0..1, capped down the ranking) and basis.

    The basis is ``overlap``, ``track_fallback`` or ``nearest`` (see ``ladder.engine.match``).
    """

    level: LevelSnap
    quality: float
    basis: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The best target level (``None`` only for an empty target ladder) and the runners-up."""

    best: MatchCandidate | None
    alternatives: tuple[MatchCandidate, ...]


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
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def understanding(self) -> Understanding | None:
        if self.resolution is not None:
            return self.resolution.understanding
        return self.error.understanding if self.error is not None else None

    @property
    def inferred_anchor(self) -> bool:
        return bool(self.notes)

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
            "understanding": understanding.to_dict() if (understanding := self.understanding) else None,
            "inferred_anchor": self.inferred_anchor,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class FocusSplit:
    """Share of the work that is hands-on product work versus soft skills, in percent."""

    hands_on: int
    soft: int

    @classmethod
    def of(cls, ref: ReferenceLevelSnap | None) -> FocusSplit | None:
        return None if ref is None else cls(ref.focus_hands_on, ref.focus_soft)

    def to_dict(self) -> dict[str, int]:
        return {"hands_on": self.hands_on, "soft": self.soft}


@dataclass(frozen=True, slots=True)
class CareerStep:
    """One move up: the ladder level it lands on (None if the company has no such rung) and what changes."""

    level: LevelSnap | None
    reference_level: str | None
    reference_name: str | None
    track: str
    responsibilities_gained: tuple[str, ...]
    focus_before: FocusSplit | None
    focus_after: FocusSplit | None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.to_dict() if self.level else None,
            "reason": self.reason,
            "reference_level": self.reference_level,
            "reference_name": self.reference_name,
            "track": self.track,
            "responsibilities_gained": list(self.responsibilities_gained),
            "focus_before": self.focus_before.to_dict() if self.focus_before else None,
            "focus_after": self.focus_after.to_dict() if self.focus_after else None,
        }


@dataclass(frozen=True, slots=True)
class CareerPath:
    """The career outlook from one level: next rungs on its track and branch options."""

    level: LevelSnap
    reference_level: str | None
    next_levels: tuple[CareerStep, ...]
    branches: tuple[CareerStep, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.to_dict(),
            "reference_level": self.reference_level,
            "next_levels": [step.to_dict() for step in self.next_levels],
            "branches": [step.to_dict() for step in self.branches],
        }

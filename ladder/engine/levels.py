"""The records a snapshot is made of: a company's level, an alias of it, a rung of the framework.

Plain immutable data, read from the database once per snapshot; everything built from them (the
snapshots and their lookup index) lives in the modules above this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["AliasSnap", "LevelSnap", "ReferenceLevelSnap"]


@dataclass(frozen=True, slots=True)
class LevelSnap:
    """One active level of a ladder, placed on the reference scale as ``[scale_from, scale_to)``.

    ``inferred`` is true when the level's reference level was guessed from its title and rank
    rather than stated, so that answers involving it can say so.
    """

    id: int
    title: str
    code: str | None
    track: str
    rank: int
    scale_from: float
    scale_to: float
    reference_level: str | None = None
    inferred: bool = False

    @property
    def midpoint(self) -> float:
        return (self.scale_from + self.scale_to) / 2

    @property
    def span(self) -> float:
        return self.scale_to - self.scale_from

    def to_dict(self) -> dict[str, Any]:
        """The short level shape used in API answers."""
        return {"id": self.id, "title": self.title, "code": self.code, "track": self.track}


@dataclass(frozen=True, slots=True)
class AliasSnap:
    """Another title for a level, optionally limited to a validity window.

    ``valid_from`` is inclusive and ``valid_to`` exclusive (the first day the alias no longer
    holds), matching the ``TitleAlias`` model: with ``valid_to=2024-01-01`` the alias still resolves
    on 31 December 2023 and no longer on 1 January 2024. ``None`` leaves that side open.
    """

    title: str
    level_id: int
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def is_dated(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


@dataclass(frozen=True, slots=True)
class ReferenceLevelSnap:
    """A rung of the reference framework: where it sits and what the job is."""

    id: int
    slug: str
    name: str
    track: str
    position: int
    focus_hands_on: int = 50
    focus_soft: int = 50
    summary: str = ""
    responsibilities: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    promotes_to: tuple[str, ...] = ()

    @property
    def scale_from(self) -> float:
        return self.position - 0.5

    @property
    def scale_to(self) -> float:
        return self.position + 0.5

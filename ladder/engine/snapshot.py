"""Immutable pictures of a ladder and of a reference framework, as the engine reads them.

The Django side reads a ladder from the database once and hands the engine a snapshot: its levels
and aliases (``ladder.engine.levels``) and, built from them once and never changed, the lookup
index the resolver uses (``ladder.engine.index``). A framework snapshot holds the reference rungs
and the reference ladder made of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ladder.engine.constants import REFERENCE_KEY, TRACK_ORDER, TRACKS
from ladder.engine.index import LadderIndex
from ladder.engine.levels import AliasSnap, LevelSnap, ReferenceLevelSnap
from ladder.engine.normalize import normalize_code

# The records (``levels``) and REFERENCE_KEY and TRACKS (``constants``) can still be imported from
# here, where the web layer has long found them; they are defined and exported there.
__all__ = ["FrameworkSnapshot", "LadderSnapshot"]


@dataclass(frozen=True)
class LadderSnapshot:
    """A company's active levels and aliases for one framework, plus lookup indexes.

    ``key`` is the company slug, or ``"reference"`` for the framework itself. Levels are kept in
    rank order. Two snapshots compare equal when their data are equal; the index is derived and
    ignored by comparisons.
    """

    key: str
    framework: str
    version: int
    levels: tuple[LevelSnap, ...]
    aliases: tuple[AliasSnap, ...] = ()
    index: LadderIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        levels = tuple(sorted(self.levels, key=lambda lv: (lv.rank, lv.id)))
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "index", LadderIndex(levels, self.aliases))

    @classmethod
    def build(
        cls,
        *,
        key: str,
        framework: str,
        version: int,
        levels: Iterable[LevelSnap],
        aliases: Iterable[AliasSnap] = (),
    ) -> LadderSnapshot:
        """Build a snapshot from any iterables of levels and aliases."""
        return cls(key=key, framework=framework, version=version, levels=tuple(levels), aliases=tuple(aliases))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle the data only (snapshots travel through the cache); the index is rebuilt on load.
        return (type(self), (self.key, self.framework, self.version, self.levels, self.aliases))

    @property
    def is_reference(self) -> bool:
        return self.key == REFERENCE_KEY

    def level(self, level_id: int) -> LevelSnap | None:
        return self.index.by_id.get(level_id)

    def level_by_code(self, code: str) -> LevelSnap | None:
        return self.index.codes.get(normalize_code(code))


@dataclass(frozen=True)
class FrameworkSnapshot:
    """A reference framework (for instance ``product-management``) and its rungs."""

    slug: str
    name: str
    reference_levels: tuple[ReferenceLevelSnap, ...]
    by_slug: dict[str, ReferenceLevelSnap] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(
            sorted(self.reference_levels, key=lambda r: (r.position, TRACK_ORDER.get(r.track, len(TRACKS))))
        )
        object.__setattr__(self, "reference_levels", ordered)
        object.__setattr__(self, "by_slug", {r.slug: r for r in ordered})

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.slug, self.name, self.reference_levels))

    @cached_property
    def ladder(self) -> LadderSnapshot:
        """The framework as a reference ladder, built once (see ``to_ladder``)."""
        return self.to_ladder()

    def get(self, slug: str | None) -> ReferenceLevelSnap | None:
        return self.by_slug.get(slug) if slug else None

    def to_ladder(self, version: int = 0) -> LadderSnapshot:
        """The framework as a ladder keyed ``"reference"``: one level per rung, spanning position ± 0.5.

        Rank follows position, then track (ic, management, executive). A rung's aliases become
        undated aliases of its level. Level ids are the reference level ids.
        """
        levels = [
            LevelSnap(
                id=ref.id,
                title=ref.name,
                code=None,
                track=ref.track,
                rank=rank,
                scale_from=ref.scale_from,
                scale_to=ref.scale_to,
                reference_level=ref.slug,
            )
            for rank, ref in enumerate(self.reference_levels, start=1)
        ]
        aliases = [AliasSnap(title=alias, level_id=ref.id) for ref in self.reference_levels for alias in ref.aliases]
        return LadderSnapshot.build(
            key=REFERENCE_KEY, framework=self.slug, version=version, levels=levels, aliases=aliases
        )

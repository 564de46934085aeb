"""Immutable, plain-data pictures of a ladder and of a reference framework.

The Django side reads a ladder from the database once and hands the engine a snapshot; every
lookup index the resolver needs is built here, once per snapshot, so that resolving a title on
the hot path is a dictionary lookup. Snapshots never change after construction. Results worth
remembering between requests (resolutions, spelling corrections, matches) go to process-wide
tables of fixed size in the resolver and the matcher, keyed by the index's ``token``, so that the
memory they take does not grow with the number of snapshots a process keeps; an index itself only
caches the fuzzy candidates valid on a given day, a few hundred days at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import count
from typing import TYPE_CHECKING, Any

from ladder.engine.constants import POOL_DAYS, REFERENCE_KEY, TRACK_ORDER, TRACKS
from ladder.engine.normalize import FAMILY_WORDS, SENIORITY_WORDS, normalize_code, normalize_title, signature_of

if TYPE_CHECKING:
    from ladder.engine.resolve import Resolution

__all__ = [
    "REFERENCE_KEY",
    "TRACKS",
    "AliasSnap",
    "FrameworkSnapshot",
    "LadderSnapshot",
    "LevelSnap",
    "ReferenceLevelSnap",
]

# A number per index, never reused in the process: the key of its entries in the memo tables.
_TOKENS = count(1)


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
class Candidate:
    """A string the fuzzy matcher may land on: a level title or an alias, in normalised form."""

    normalized: str
    level: LevelSnap
    alias: AliasSnap | None
    signature: frozenset[str]
    # The words other than the job family word, sorted: what remains of "director product".
    core: str
    # The words sorted, so that a plain ratio on it equals rapidfuzz's token_sort_ratio.
    sorted_form: str


class LadderIndex:
    """Lookup tables derived from a snapshot. Built once; treated as read-only afterwards."""

    __slots__ = (
        "alias_exact",
        "alias_normalized",
        "by_id",
        "codes",
        "correction_choices",
        "dated_candidates",
        "exact_resolutions",
        "exact_titles",
        "normalized_titles",
        "pools_by_day",
        "pools_by_validity",
        "static_candidates",
        "static_pool",
        "token",
        "vocabulary",
    )

    def __init__(self, levels: tuple[LevelSnap, ...], aliases: tuple[AliasSnap, ...]) -> None:
        # Imported here to keep the module graph acyclic: the resolver builds on snapshots.
        from ladder.engine.resolve import Resolution

        self.token: int = next(_TOKENS)
        self.by_id: dict[int, LevelSnap] = {level.id: level for level in levels}
        self.exact_titles: dict[str, tuple[LevelSnap, ...]] = _group(levels, lambda lv: lv.title)
        self.normalized_titles: dict[str, tuple[LevelSnap, ...]] = _group(levels, lambda lv: normalize_title(lv.title))
        self.codes: dict[str, LevelSnap] = {}
        for level in levels:
            code = normalize_code(level.code)
            if code:
                self.codes.setdefault(code, level)

        live_aliases = tuple(a for a in aliases if a.level_id in self.by_id)
        self.alias_exact: dict[str, tuple[AliasSnap, ...]] = _group(live_aliases, lambda a: a.title)
        self.alias_normalized: dict[str, tuple[AliasSnap, ...]] = _group(
            live_aliases, lambda a: normalize_title(a.title)
        )

        # Pre-built answers for the commonest request: a title spelt exactly as in the ladder.
        self.exact_resolutions: dict[str, Resolution] = {
            title: Resolution(level=found[0], basis="exact", score=1.0, matched=title)
            for title, found in self.exact_titles.items()
            if len(found) == 1
        }

        static: list[Candidate] = []
        dated: list[Candidate] = []
        for level in levels:
            norm = normalize_title(level.title)
            if norm:
                static.append(_candidate(norm, level, None))
        for alias in live_aliases:
            norm = normalize_title(alias.title)
            if not norm:
                continue
            candidate = _candidate(norm, self.by_id[alias.level_id], alias)
            (dated if alias.is_dated else static).append(candidate)
        self.static_candidates: tuple[Candidate, ...] = tuple(static)
        self.dated_candidates: tuple[Candidate, ...] = tuple(dated)

        vocabulary: set[str] = set()
        for candidate in (*static, *dated):
            vocabulary.update(candidate.normalized.split())
        self.vocabulary: frozenset[str] = frozenset(vocabulary)
        # Words a misspelling may be corrected to: the ladder's own words and every seniority word.
        self.correction_choices: list[str] = sorted(vocabulary | SENIORITY_WORDS)

        self.static_pool = CandidatePool(self.static_candidates)

        # Filled lazily: one pool per distinct set of valid dated aliases (at most one more than
        # twice the number of dated aliases), and a bounded table from days to those pools.
        self.pools_by_day: dict[date, CandidatePool] = {}
        self.pools_by_validity: dict[tuple[int, ...], CandidatePool] = {}

    def pool(self, day: date) -> CandidatePool:
        """Fuzzy candidates valid on ``day``: titles, undated aliases and aliases valid that day."""
        if not self.dated_candidates:
            return self.static_pool
        found = self.pools_by_day.get(day)
        if found is None:
            valid = tuple(i for i, c in enumerate(self.dated_candidates) if c.alias and c.alias.is_valid_on(day))
            found = self.pools_by_validity.get(valid)
            if found is None:
                found = CandidatePool(self.static_candidates + tuple(self.dated_candidates[i] for i in valid))
                self.pools_by_validity[valid] = found
            if len(self.pools_by_day) >= POOL_DAYS:
                self.pools_by_day.clear()
            self.pools_by_day[day] = found
        return found


class CandidatePool:
    """The candidates valid on some day, grouped by signature, with the strings rapidfuzz compares.

    ``signatures`` gives, per level id, the level markers of each of its strings (title and
    aliases), which decide whether a title contradicts a level code.
    """

    __slots__ = ("candidates", "groups", "signatures", "suggestion_forms", "suggestion_titles")

    def __init__(self, candidates: tuple[Candidate, ...]) -> None:
        self.candidates = candidates
        # One entry per distinct string, naming the level title to suggest for it.
        unique: dict[str, str] = {}
        for candidate in candidates:
            unique.setdefault(candidate.sorted_form, candidate.level.title)
        self.suggestion_forms: list[str] = list(unique)
        self.suggestion_titles: list[str] = list(unique.values())
        grouped: dict[frozenset[str], list[Candidate]] = {}
        by_level: dict[int, dict[frozenset[str], None]] = {}
        for candidate in candidates:
            grouped.setdefault(candidate.signature, []).append(candidate)
            by_level.setdefault(candidate.level.id, {})[candidate.signature] = None
        self.signatures: dict[int, tuple[frozenset[str], ...]] = {
            level_id: tuple(found) for level_id, found in by_level.items()
        }
        self.groups: dict[frozenset[str], tuple[list[Candidate], list[str]]] = {
            signature: (members, [c.sorted_form for c in members]) for signature, members in grouped.items()
        }


def _candidate(norm: str, level: LevelSnap, alias: AliasSnap | None) -> Candidate:
    words = norm.split()
    core = " ".join(sorted(w for w in words if w not in FAMILY_WORDS))
    return Candidate(norm, level, alias, signature_of(words), core, " ".join(sorted(words)))


def _group(items: Iterable[Any], key: Any) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for item in items:
        k = key(item)
        if k:
            grouped.setdefault(k, []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}


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

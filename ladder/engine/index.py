"""The lookup index of a ladder snapshot: everything the resolver looks titles up in.

Built once per snapshot from its levels and aliases, so that resolving a title on the hot path is
a dictionary lookup: titles as written and normalised, aliases likewise, codes, the pre-built
answers for exact titles, and the candidates of the fuzzy step grouped by their level markers.
Read-only once built, except for the fuzzy candidates valid on a given day, which are remembered
for a few hundred days at most. Results worth remembering between requests (resolutions, spelling
corrections, matches) go to process-wide tables of fixed size in the resolver, its fuzzy step and
the matcher, keyed by the index's ``token``, so that the memory they take does not grow with the
number of snapshots a process keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import count
from typing import Any

from ladder.engine.constants import POOL_DAYS
from ladder.engine.levels import AliasSnap, LevelSnap
from ladder.engine.normalize import FAMILY_WORDS, SENIORITY_WORDS, normalize_code, normalize_title, signature_of
from ladder.engine.results import Resolution

__all__ = ["Candidate", "CandidatePool", "LadderIndex"]

# A number per index, never reused in the process: the key of its entries in the memo tables.
_TOKENS = count(1)


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

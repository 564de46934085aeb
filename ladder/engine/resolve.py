"""Find the level a title (and optionally a level code) names in one ladder.

Lookups go from the most to the least certain: a code given beside the title, the exact title,
an exact alias, the normalised title, a normalised alias valid on ``as_of``, a code written inside
the string, and finally a fuzzy match that never crosses a level marker (``ladder.engine.fuzzy``).
With a vocabulary, a title the ladder does not hold is understood as well
(``ladder.engine.understand``).

A code written inside the string that this ladder does not use is never silently dropped: the
title then has to match with the code in it, which usually means an ``unresolved_title`` error
whose detail names the code.

When a code and a title disagree, the answer is the error ``code_title_mismatch``: either the title
resolves (exactly, by alias or after normalisation) to a single level and the code names another,
or the title carries a level marker (a seniority word, possibly misspelt, or a level number) that
no title or valid alias of the coded level carries: "Senior Product Manager IC5" is not IC5 when
IC5 is plain "Product Manager". Seniority words are never dropped in favour of a code, just as
they are never fuzzed away. A code is trusted when the title is empty, names the coded level, is
shared by several levels of which the coded one is a member, or leaves out words without adding
any marker ("Principal (L7)" for a Senior Principal Product Manager coded L7).

Successful resolutions are memoised in one table per process, bounded whatever the number of
snapshots. Errors are not memoised: unresolvable input is endless and would only crowd out the
titles that do come back.

Every outcome is a value (``Resolution`` or ``ResolveError``); nothing here raises on bad input.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from itertools import chain
from typing import Any

from ladder.engine.constants import EXPIRED_ALIAS_SCORE, LONG_TITLE_LENGTH, MEMO_CODE_LENGTH, RESOLUTION_MEMO_LIMIT
from ladder.engine.fuzzy import corrected_words, fuzzy_match, suggest
from ladder.engine.index import LadderIndex
from ladder.engine.levels import AliasSnap, LevelSnap
from ladder.engine.match import Placement, rank_levels
from ladder.engine.normalize import extract_code, normalize_code, normalize_title, signature_of
from ladder.engine.results import Resolution, ResolveError, Understanding
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.understand import Vocabulary

__all__ = ["resolve"]

# (snapshot index token, title, code, day, vocabulary token) -> Resolution
_resolutions: dict[tuple[Any, ...], Resolution] = {}
# (snapshot index token, span, track) -> the level an understood title with that placement sits beside.
_besides: dict[tuple[Any, ...], LevelSnap | None] = {}


# Found by a title lookup: one resolution, several levels sharing the title, or nothing.
_Lookup = Resolution | tuple[LevelSnap, ...] | None


def resolve(
    snapshot: LadderSnapshot,
    title: str,
    code: str | None = None,
    as_of: date | None = None,
    vocabulary: Vocabulary | None = None,
) -> Resolution | ResolveError:
    """Resolve ``title`` (and ``code``, if given) in ``snapshot`` as of ``as_of`` (default: today).

    With a ``vocabulary``, a title the ladder does not hold is understood as well: a title of
    another job family answers ``other_job_family``, fuzzy matches that contradict the parse are
    refused, a title found only as an expired alias answers ``expired_alias``, and a
    product-management title the parser can place answers ``understood``.
    """
    index = snapshot.index
    if code is None and type(title) is str:
        hit = index.exact_resolutions.get(title)
        if hit is not None:
            return hit
    if not isinstance(title, str):
        title = "" if title is None else str(title)
    if code is not None and not isinstance(code, str):
        code = str(code)
    day = as_of or date.today()
    if isinstance(day, datetime):
        day = day.date()  # a datetime cannot be compared with the alias dates

    memoised = len(title) <= LONG_TITLE_LENGTH and (code is None or len(code) <= MEMO_CODE_LENGTH)
    if memoised:
        key = (index.token, title, code, day, vocabulary.token if vocabulary is not None else 0)
        cached = _resolutions.get(key)
        if cached is not None:
            return cached
    result = _resolve(index, title, code, day, vocabulary)
    if memoised and isinstance(result, Resolution):
        if len(_resolutions) >= RESOLUTION_MEMO_LIMIT:
            _resolutions.clear()
        _resolutions[key] = result
    return result


def _resolve(
    index: LadderIndex, title: str, code: str | None, day: date, vocabulary: Vocabulary | None = None
) -> Resolution | ResolveError:
    wanted_code = normalize_code(code)
    if wanted_code:
        level = index.codes.get(wanted_code)
        if level is None:
            return ResolveError("unknown_code", f"No level in this ladder has the code {_clip(wanted_code, 40)!r}.")
        return _confirm_code(index, level, wanted_code, title, day)

    if not title.strip():
        return ResolveError("empty_title", "The title is empty.")

    found = _lookup(index, title, day)
    understanding: Understanding | None = None
    if isinstance(found, Resolution):
        if vocabulary is None or found.matched == title or not vocabulary.may_contradict(title, normalize_title(title)):
            return found
        # The normaliser drops what reads like a team name, which can be the job family itself
        # ("VP, Product Marketing" -> "vice president product"): a hit after normalisation
        # stands only if the parse of the title agrees with the parse of what it matched.
        understanding = vocabulary.understand(title)
        if not _contradicts(vocabulary, understanding, found):
            return found
        found = None
    shared = found or ()

    rest, inner_code = extract_code(title)
    unknown_code = None
    if inner_code:
        level = index.codes.get(inner_code)
        if level is not None:
            if shared:
                return _code_among(level, inner_code, shared, title)
            return _confirm_code(index, level, inner_code, rest, day)
        # A code (or bare level number) this ladder does not use is level information all the
        # same, so it is never dropped: only a title that itself carries it can still match.
        unknown_code = inner_code

    if shared:
        return _ambiguous(title, shared)
    if len(title) > LONG_TITLE_LENGTH:
        return ResolveError(
            "unresolved_title",
            f"The title is longer than {LONG_TITLE_LENGTH} characters and matches no title exactly.",
            suggest(index, title[:LONG_TITLE_LENGTH], day),
        )
    expired = _expired_alias(index, title, day)
    if expired is not None:
        return expired
    # The parse comes first when the title has words that could make a fuzzy match wrong (another
    # family's, "management", another language's); otherwise only when the ladder has no match.
    if understanding is None and vocabulary is not None and vocabulary.needs_parse(title):
        understanding = vocabulary.understand(title)
    if understanding is not None:
        found = _from_understanding(index, title, understanding, vocabulary, day)
        if found is not None:
            return found
    # A title in another language is fuzzy-matched in its English reading: its own words would
    # only be "corrected" into false friends ("chef" into "chief").
    fuzzy_title = understanding.reading if understanding is not None and understanding.languages else title
    # A title the parser read word for word has no typo for the fuzzy step to forgive.
    fully_read = understanding is not None and understanding.placed and not understanding.unknown
    fuzzy = None if fully_read else fuzzy_match(index, fuzzy_title, day)
    if isinstance(fuzzy, Resolution) and understanding is not None and _contradicts(vocabulary, understanding, fuzzy):
        fuzzy = None
    if isinstance(fuzzy, Resolution):
        return fuzzy
    if fuzzy:
        return _ambiguous(title, fuzzy)
    if understanding is None and vocabulary is not None:
        understanding = vocabulary.understand(title)
        found = _from_understanding(index, title, understanding, vocabulary, day)
        if found is not None:
            return found
    # A code this ladder does not use is level information it cannot read; a ladder with no codes at
    # all (the reference) reads none, so there the parse places the title and lists the code.
    if understanding is not None and understanding.placed and (not unknown_code or not index.codes):
        beside = _beside(index, understanding)
        if beside is not None:
            return Resolution(beside, "understood", understanding.certainty, understanding.reading, None, understanding)
    detail = f"No level in this ladder matches the title {_clip(title)!r}."
    if unknown_code:
        detail += f" It carries the level code {unknown_code!r}, which this ladder does not use."
    elif understanding is not None and understanding.is_product_management:
        detail += " It reads as a product-management title, but names no role or seniority to place it by."
    return ResolveError(
        "unresolved_title",
        detail,
        suggest(index, rest if unknown_code else title, day),
        understanding=understanding,
    )


def _from_understanding(
    index: LadderIndex, title: str, understanding: Understanding, vocabulary: Vocabulary | None, day: date
) -> Resolution | ResolveError | None:
    """``other_job_family`` for a title of another family, or the level its English reading names."""
    if understanding.family and not understanding.is_product_management:
        return ResolveError(
            "other_job_family",
            f"{_clip(title)!r} reads as a {understanding.family_name} title, not a product-management one.",
            family=understanding.family,
            understanding=understanding,
        )
    if understanding.is_product_management and understanding.reading:
        # What the parser read, in English and without noise ("Chef de produit H/F" -> "product
        # manager"), may be a title of this ladder.
        read = _lookup(index, understanding.reading, day)
        if isinstance(read, Resolution) and not _contradicts(vocabulary, understanding, read):
            return _understood_as(read.level, understanding)
    return None


def _understood_as(level: LevelSnap, understanding: Understanding) -> Resolution:
    """An understood title whose reading names ``level``: placed where that level is."""
    placed = replace(understanding, span=(level.scale_from, level.scale_to), track=level.track)
    return Resolution(level, "understood", understanding.certainty, level.title, None, placed)


def _expired_alias(index: LadderIndex, title: str, day: date) -> Resolution | None:
    """The level a title named through an alias whose window ended before ``day``, if only one.

    An alias that is not valid yet says nothing about the past, so it does not count.
    """
    found = index.alias_exact.get(title) or index.alias_normalized.get(normalize_title(title[:LONG_TITLE_LENGTH]))
    aliases = [alias for alias in found or () if alias.valid_to is not None and alias.valid_to <= day]
    if not aliases:
        return None
    levels = {alias.level_id for alias in aliases}
    if len(levels) != 1:
        return None
    # The most recent window: the one that ended last (an open end counts as the latest).
    alias = max(aliases, key=lambda a: (a.valid_to or date.max, a.valid_from or date.min))
    return Resolution(index.by_id[alias.level_id], "expired_alias", EXPIRED_ALIAS_SCORE, alias.title, alias)


def _contradicts(vocabulary: Vocabulary | None, understanding: Understanding, fuzzy: Resolution) -> bool:
    """Whether a fuzzy match lands on a string the parser reads differently (family, seniority, manager of PMs)."""
    if vocabulary is None:
        return False
    other = vocabulary.understand(fuzzy.matched)
    if understanding.family and other.family and understanding.family != other.family:
        return True
    # With words the parser does not know (typos the fuzzy step is there to forgive), the parse's
    # seniority is incomplete; only a title it fully read can contradict.
    if understanding.is_product_management and other.is_product_management and not understanding.unknown:
        return understanding.manages != other.manages or set(understanding.seniority) != set(other.seniority)
    return False


def _beside(index: LadderIndex, understanding: Understanding) -> LevelSnap | None:
    """The ladder level an understood title sits beside: the best match for its placement."""
    if understanding.span is None or understanding.track is None or not index.by_id:
        return None
    key = (index.token, understanding.span, understanding.track)
    if key in _besides:
        return _besides[key]
    placement = Placement(understanding.span[0], understanding.span[1], understanding.track)
    ranked = rank_levels(placement, index.by_id.values())
    level = ranked[0].level if ranked else None
    if len(_besides) >= RESOLUTION_MEMO_LIMIT:
        _besides.clear()
    _besides[key] = level
    return level


def _confirm_code(index: LadderIndex, level: LevelSnap, code: str, title: str, day: date) -> Resolution | ResolveError:
    """Accept the level named by ``code`` unless ``title`` names a different level or contradicts it."""
    if title.strip():
        found = _lookup(index, title, day)
        if isinstance(found, Resolution) and found.level.id != level.id:
            return ResolveError(
                "code_title_mismatch",
                f"The code {code!r} names {level.title!r} but the title {_clip(title)!r} names {found.level.title!r}.",
                candidates=(level, found.level),
            )
        if isinstance(found, tuple):
            return _code_among(level, code, found, title)
        if found is None:
            extra = _foreign_markers(index, level, code, title, day)
            if extra:
                fuzzy = fuzzy_match(index, title, day)
                matches = (fuzzy.level,) if isinstance(fuzzy, Resolution) else fuzzy or ()
                words = ", ".join(repr(word) for word in extra)
                return ResolveError(
                    "code_title_mismatch",
                    f"The code {code!r} names {level.title!r}, but the title {_clip(title)!r} says {words}, "
                    "which that level's title does not.",
                    candidates=tuple(dict.fromkeys((level, *matches))),
                )
    return Resolution(level=level, basis="code", score=1.0, matched=code)


def _foreign_markers(index: LadderIndex, level: LevelSnap, code: str, title: str, day: date) -> list[str]:
    """The title's level markers that no title or valid alias of ``level`` carries; empty if none conflict.

    Markers are read as the fuzzy step reads them (misspelt seniority words corrected, roman
    numerals as numbers); the code itself, written inside the title, is no conflict.
    """
    corrected = corrected_words(index, normalize_title(title[:LONG_TITLE_LENGTH]).split())
    markers = {marker for marker in signature_of(corrected) if normalize_code(marker) != code}
    if not markers:
        return []
    carried = index.pool(day).signatures.get(level.id, ())
    if any(markers <= signature for signature in carried):
        return []
    return sorted(markers - set(chain.from_iterable(carried))) or sorted(markers)


def _code_among(level: LevelSnap, code: str, shared: tuple[LevelSnap, ...], title: str) -> Resolution | ResolveError:
    if any(candidate.id == level.id for candidate in shared):
        return Resolution(level=level, basis="code", score=1.0, matched=code)
    return ResolveError(
        "code_title_mismatch",
        f"The code {code!r} names {level.title!r}, which is not one of the levels titled {_clip(title)!r}.",
        candidates=(level, *shared),
    )


def _ambiguous(title: str, levels: tuple[LevelSnap, ...]) -> ResolveError:
    codes = ", ".join(level.code or f"#{level.id}" for level in levels)
    return ResolveError(
        "ambiguous_title",
        f"The title {_clip(title)!r} is shared by several levels ({codes}); give the level code to choose.",
        tuple(dict.fromkeys(level.title for level in levels)),
        levels,
    )


def _lookup(index: LadderIndex, title: str, day: date) -> _Lookup:
    """Exact title, exact alias, normalised title, normalised alias: the first that matches."""
    levels = index.exact_titles.get(title)
    if levels:
        return Resolution(levels[0], "exact", 1.0, title) if len(levels) == 1 else levels
    found = _alias_levels(index, index.alias_exact.get(title), day)
    if found is not None:
        return found
    norm = normalize_title(title)
    if not norm:
        return None
    levels = index.normalized_titles.get(norm)
    if levels:
        return Resolution(levels[0], "normalized", 1.0, levels[0].title) if len(levels) == 1 else levels
    return _alias_levels(index, index.alias_normalized.get(norm), day)


def _alias_levels(index: LadderIndex, aliases: tuple[AliasSnap, ...] | None, day: date) -> _Lookup:
    if not aliases:
        return None
    valid = [alias for alias in aliases if alias.is_valid_on(day)]
    if not valid:
        return None
    levels = tuple(dict.fromkeys(index.by_id[alias.level_id] for alias in valid))
    if len(levels) == 1:
        return Resolution(levels[0], "alias", 1.0, valid[0].title)
    return levels


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

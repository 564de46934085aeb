"""Forgive a typo: the fuzzy step of the resolver, its spelling corrections, and suggestions.

The fuzzy step only compares strings that carry the same level markers (seniority words, level
numbers, codes), so a typo can be forgiven but "Senior Director" can never become "Director" and
"Product Manager 2" never "Product Manager 3". Within those bounds it corrects misspelt words
against the ladder's vocabulary, compares word-order-free (rapidfuzz ratio on sorted words, i.e.
token_sort_ratio), accepts a title that only leaves out the job family word ("Director" for
"Director of Product"), and tolerates unknown extra words (a team name without a separator) when
the rest is a near-perfect match.

Spelling corrections are memoised in one table per process, bounded whatever the number of
snapshots.
"""

from __future__ import annotations

from datetime import date

from rapidfuzz import fuzz, process

from ladder.engine.constants import (
    CORRECTION_MEMO_LIMIT,
    CORRECTION_THRESHOLD,
    FAMILY_WORD_SCORE,
    FUZZY_THRESHOLD,
    LONG_TITLE_LENGTH,
    REDUCED_THRESHOLD,
    SUGGESTIONS,
)
from ladder.engine.index import Candidate, LadderIndex
from ladder.engine.levels import LevelSnap
from ladder.engine.normalize import FAMILY_WORDS, ROMAN_NUMERALS, SENIORITY_WORDS, normalize_title, signature_of
from ladder.engine.results import Resolution

__all__ = ["corrected_words", "fuzzy_match", "suggest"]

# (snapshot index token, word) -> corrected word
_corrections: dict[tuple[int, str], str] = {}


def _correct(index: LadderIndex, word: str) -> str:
    """Fix a misspelt word against the ladder's vocabulary and the seniority words."""
    if word in index.vocabulary or word in SENIORITY_WORDS or len(word) < 4 or not word.isalpha():
        return word
    key = (index.token, word)
    fixed = _corrections.get(key)
    if fixed is None:
        best = process.extractOne(
            word,
            index.correction_choices,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=CORRECTION_THRESHOLD,
        )
        fixed = best[0] if best else word
        if len(_corrections) >= CORRECTION_MEMO_LIMIT:
            _corrections.clear()
        _corrections[key] = fixed
    return fixed


def corrected_words(index: LadderIndex, words: list[str]) -> list[str]:
    """The words of a normalised title as the fuzzy step reads them.

    Misspelt words are corrected, and roman numerals anywhere but first are level numbers
    ("product manager ii payments").
    """
    return [ROMAN_NUMERALS[w] if i and w in ROMAN_NUMERALS else _correct(index, w) for i, w in enumerate(words)]


def fuzzy_match(index: LadderIndex, title: str, day: date) -> Resolution | tuple[LevelSnap, ...] | None:
    """Closest ladder string with the same level markers, or the levels sharing it, or None."""
    norm = normalize_title(title[:LONG_TITLE_LENGTH])
    words = norm.split()
    if not words:
        return None
    corrected = corrected_words(index, words)
    members, choices = index.pool(day).groups.get(signature_of(corrected), ((), []))
    if not members:
        return None
    query = " ".join(sorted(corrected))
    best = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_THRESHOLD)
    if best is None:
        # The job family word may be left out: "Director" for "Director of Product".
        core = " ".join(sorted(w for w in corrected if w not in FAMILY_WORDS))
        winners = [c for c in members if core and c.core == core]
        if winners:
            return _fuzzy_answer(winners, winners[0], FAMILY_WORD_SCORE)
        # Words the ladder has never seen (a team name without a separator) may be dropped,
        # provided most of the title remains and what remains is a near-perfect match.
        known = sorted(w for w in corrected if w in index.vocabulary or not w.isalpha())
        reduced = " ".join(known)
        if known and len(known) < len(corrected) and 2 * len(reduced) >= len(query):
            best = process.extractOne(
                reduced, choices, scorer=fuzz.ratio, processor=None, score_cutoff=REDUCED_THRESHOLD
            )
    if best is None:
        return None
    winner = members[best[2]]
    score = round(fuzz.token_sort_ratio(norm, winner.normalized, processor=None) / 100.0, 4)
    return _fuzzy_answer([c for c in members if c.normalized == winner.normalized], winner, score)


def _fuzzy_answer(same: list[Candidate], winner: Candidate, score: float) -> Resolution | tuple[LevelSnap, ...]:
    """A fuzzy resolution, or the levels sharing the matched string when there are several."""
    levels = tuple(dict.fromkeys(c.level for c in same))
    if len(levels) > 1:
        return levels
    matched = winner.alias.title if winner.alias is not None else winner.level.title
    return Resolution(level=winner.level, basis="fuzzy", score=score, matched=matched)


def suggest(index: LadderIndex, title: str, day: date) -> tuple[str, ...]:
    """Up to ``SUGGESTIONS`` level titles closest to ``title``, however far they are."""
    words = normalize_title(title[:LONG_TITLE_LENGTH]).split()
    pool = index.pool(day)
    if not words or not pool.candidates:
        return ()
    ranked = process.extract(
        " ".join(sorted(words)),
        pool.suggestion_forms,
        scorer=fuzz.ratio,
        processor=None,
        limit=4 * SUGGESTIONS,
    )
    titles: dict[str, None] = {}
    for _, score, position in ranked:
        if score <= 0:
            break
        titles.setdefault(pool.suggestion_titles[position])
        if len(titles) == SUGGESTIONS:
            break
    return tuple(titles)

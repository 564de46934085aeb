"""Canonical forms for job titles and level codes.

Titles arrive in every spelling imaginable ("Sr. PM - Payments", "Senior Product Manager",
"SENIOR PRODUCT MGR (AWS)"). Every lookup in the engine compares canonical forms produced here,
so two spellings of one title must normalise to the same string, and a second pass must never
change the result (the database stores the normalised form and compares against it later).

Seniority words and level numbers are the information that tells one level from another, so the
normaliser never drops them: a team suffix is removed, but a suffix that carries a seniority word,
or that consists only of level information (numbers, roman numerals and code-shaped tokens such as
"IC5" or "L7"), is kept. A token that merely contains a digit ("B2B", "5G") is a team or product
name like any other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from ladder.engine.constants import LONG_TITLE_LENGTH, NORMALIZED_TITLE_CACHE

__all__ = [
    "ABBREVIATIONS",
    "DOTTED_RE",
    "FAMILY_WORDS",
    "LEVEL_MARKERS",
    "ROMAN_NUMERALS",
    "SENIORITY_WORDS",
    "SEPARATOR_RE",
    "TITLE_WORDS",
    "TOKEN_RE",
    "extract_code",
    "normalize_code",
    "normalize_title",
    "signature_of",
]

# Words that place a title on the ladder. They are never removed by the normaliser and fuzzy
# matching never crosses them ("Senior Director" is not "Director").
SENIORITY_WORDS: frozenset[str] = frozenset(
    {
        "apprentice",
        "assistant",
        "associate",
        "chief",
        "deputy",
        "director",
        "distinguished",
        "entry",
        "executive",
        "fellow",
        "graduate",
        "group",
        "head",
        "intern",
        "junior",
        "lead",
        "president",
        "principal",
        "senior",
        "staff",
        "trainee",
        "vice",
    }
)

# Role nouns: words that make a string look like a job title rather than a team name.
_ROLE_WORDS: frozenset[str] = frozenset(
    {
        "general",
        "management",
        "manager",
        "officer",
        "owner",
        "product",
        "technical",
    }
)

TITLE_WORDS: frozenset[str] = SENIORITY_WORDS | _ROLE_WORDS

# Abbreviations expanded token by token. No expansion contains a key of this mapping, which keeps
# the normaliser idempotent.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "sr": ("senior",),
    "snr": ("senior",),
    "jr": ("junior",),
    "jnr": ("junior",),
    "assoc": ("associate",),
    "asst": ("assistant",),
    "mgr": ("manager",),
    "mngr": ("manager",),
    "mgmt": ("management",),
    "mgt": ("management",),
    "prod": ("product",),
    "princ": ("principal",),
    "prin": ("principal",),
    "grp": ("group",),
    "hd": ("head",),
    "dir": ("director",),
    "exec": ("executive",),
    "pm": ("product", "manager"),
    "po": ("product", "owner"),
    "apm": ("associate", "product", "manager"),
    "gpm": ("group", "product", "manager"),
    "spm": ("senior", "product", "manager"),
    "vp": ("vice", "president"),
    "svp": ("senior", "vice", "president"),
    "evp": ("executive", "vice", "president"),
    "cpo": ("chief", "product", "officer"),
    "gm": ("general", "manager"),
}

# Words naming the job family, which people often leave out of a title ("Director" for
# "Director of Product").
FAMILY_WORDS: frozenset[str] = frozenset({"product"})

# Words that carry no meaning for matching ("Head of Product" is "Head Product").
_FILLER_WORDS: frozenset[str] = frozenset({"of", "the", "for", "level", "lvl"})

# Roman numerals used as level numbers ("Product Manager II").
ROMAN_NUMERALS: dict[str, str] = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
}

# Seniority words and roman numerals; numbers and code-shaped tokens ("ic5") mark a level as well.
LEVEL_MARKERS: frozenset[str] = SENIORITY_WORDS | frozenset(ROMAN_NUMERALS)

# A word: letters and digits, in any script.
TOKEN_RE = re.compile(r"[^\W_]+")
# Dotted acronyms such as "V.P." or "s.v.p." are glued back together before punctuation goes.
DOTTED_RE = re.compile(r"(?<!\w)[^\W\d_]\.(?:[^\W\d_]\.)*[^\W\d_](?!\w)\.?")
# What separates a title from a team or product qualifier: brackets, commas, pipes, colons,
# en and em dashes, and a hyphen or slash with a space on at least one side.
SEPARATOR_RE = re.compile(
    r"\s[-\u2010\u2011\u2212/]+"  # hyphen or slash after a space
    r"|[-\u2010\u2011\u2212/]+\s"  # hyphen or slash before a space
    r"|[\u2012-\u2015|,;:()\[\]{}<>@\u2022\u00b7]"  # dashes, brackets and other separators
)


def normalize_title(title: str) -> str:
    """Return the canonical form of a job title (see the module docstring).

    The result is lower case, space separated and idempotent. Short strings are memoised, since
    bulk requests repeat the same titles; long ones are computed directly so that the cache
    cannot grow large.
    """
    if not title:
        return ""
    if len(title) > LONG_TITLE_LENGTH:
        return _normalize(title)
    return _normalize_cached(title)


@lru_cache(maxsize=NORMALIZED_TITLE_CACHE)
def _normalize_cached(title: str) -> str:
    return _normalize(title)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # the same result, without the Unicode machinery
    # Case folding can leave a string that is no longer in NFKC, so normalise on both sides.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _expand(words: list[str]) -> list[str]:
    expanded: list[str] = []
    for word in words:
        replacement = ABBREVIATIONS.get(word)
        if replacement is None:
            expanded.append(word)
        else:
            expanded.extend(replacement)
    return expanded


# The shape of a level code as one token: one to four letters, then one to three digits ("ic5", "l7").
_CODE_TOKEN_RE = re.compile(r"[a-z]{1,4}[0-9]{1,3}")


def _is_level_marker(word: str) -> bool:
    """A seniority word, a number, a roman numeral or a level code ("ic5", "l7", "m2").

    Other tokens with a digit in them ("b2b", "5g", "web3d") name a team or a product, so a suffix
    made of them is stripped like any other team suffix.
    """
    return word in LEVEL_MARKERS or word.isdigit() or _CODE_TOKEN_RE.fullmatch(word) is not None


def _normalize(title: str) -> str:
    text = _fold(title)
    if "." in text:
        text = DOTTED_RE.sub(lambda m: m.group(0).replace(".", ""), text)
    if "&" in text:
        text = text.replace("&", " and ")
    segments = [_expand(TOKEN_RE.findall(part)) for part in SEPARATOR_RE.split(text)]
    segments = [words for words in segments if words]
    if not segments:
        return ""

    # The title proper is the first segment that reads like a title; the other segments are
    # qualifiers (team, product, location). Seniority words and missing role words survive from
    # any of them; numbers and codes only from a segment that is nothing but level information
    # ("Level II", "IC5"), since "Payments 2" names a team, not a level.
    head = next((i for i, words in enumerate(segments) if not TITLE_WORDS.isdisjoint(words)), 0)
    words = list(segments[head])
    present = set(words)
    for i, segment in enumerate(segments):
        if i == head:
            continue
        pure = all(_is_level_marker(w) or w in TITLE_WORDS or w in _FILLER_WORDS for w in segment)
        kept = [w for w in segment if w not in present and (w in TITLE_WORDS or (pure and _is_level_marker(w)))]
        present.update(kept)
        if i < head:
            words[0:0] = kept
        else:
            words.extend(kept)
    return " ".join(_tidy(words))


def _tidy(words: list[str]) -> list[str]:
    """Drop filler, merge "product management" into "product", and squash repeated words.

    Each rule can expose work for another, so they run until nothing changes (each pass only
    shrinks the list, so this terminates). A trailing roman numeral becomes a number last.
    """
    while True:
        before = len(words)
        words = [w for w in words if w not in _FILLER_WORDS]
        merged: list[str] = []
        for word in words:
            if merged and merged[-1] == word:
                continue
            if word == "management" and merged and merged[-1] == "product":
                continue
            merged.append(word)
        words = merged
        if len(words) == before:
            break
    if len(words) >= 2 and words[-1] in ROMAN_NUMERALS and not _is_numeral(words[-2]):
        words[-1] = ROMAN_NUMERALS[words[-1]]
    return words


def _is_numeral(word: str) -> bool:
    return word in ROMAN_NUMERALS or word.isdigit()


def signature_of(words: Iterable[str]) -> frozenset[str]:
    """The level markers of a normalised title: seniority words, numbers and codes.

    Roman numerals count as their number unless they open the title (a lone "I" is a word).
    """
    markers: set[str] = set()
    for position, word in enumerate(words):
        if word in SENIORITY_WORDS:
            markers.add(word)
        elif position and word in ROMAN_NUMERALS:
            markers.add(ROMAN_NUMERALS[word])
        elif any(ch.isdigit() for ch in word):
            markers.add(word)
    return frozenset(markers)


# --- level codes -------------------------------------------------------------------------------

_CODE_CHARS_RE = re.compile(r"[\s\-._\u2010\u2011\u2012\u2013\u2212]+")
# A code: up to four ASCII letters and up to three digits ("IC5", "L 5", "m-2"), or a bare number.
_LETTER_CODE = r"[A-Za-z]{1,4}[ \-.]?\d{1,3}"
_TIGHT_CODE = r"[A-Za-z]{1,4}\d{1,3}"
_ANY_CODE = rf"(?:{_LETTER_CODE}|\d{{1,4}})"
_SEP = r"[-\u2010\u2011\u2012-\u2015\u2212|,:;/]"

_CODE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # the whole string is a code: "IC5", "l 5", "63"
    re.compile(rf"^\s*(?P<code>{_ANY_CODE})\s*$"),
    # a code in brackets anywhere: "Product Manager (IC5)", "[63] Product Manager"
    re.compile(rf"[(\[{{]\s*(?P<code>{_ANY_CODE})\s*[)\]}}]"),
    # after a separator at the end: "Product Manager - IC5", "Product Manager, 63"
    re.compile(rf"\s*{_SEP}\s*(?P<code>{_ANY_CODE})\s*$"),
    # a letters-and-digits code at the end: "Product Manager IC5"
    re.compile(rf"(?<=\s)(?P<code>{_TIGHT_CODE})\s*$"),
    # before a separator at the start: "IC5 - Product Manager", "63 | Product Manager"
    re.compile(rf"^\s*(?P<code>{_ANY_CODE})\s*{_SEP}\s*"),
    # a letters-and-digits code at the start: "IC5 Product Manager"
    re.compile(rf"^\s*(?P<code>{_TIGHT_CODE})\s+"),
)
# Rounds of normalize_code outside ASCII: every code point tried settles after at most two changes.
_CODE_PASSES = 8
_DIGIT_RE = re.compile(r"\d")
_REST_STRIP = " \t\r\n-\u2010\u2011\u2012\u2013\u2014\u2015\u2212|,:;/"


def normalize_code(code: str | None) -> str:
    """Canonical level code: NFKC, upper case, no spaces, dashes, dots or underscores ("ic 5" -> "IC5").

    Idempotent for any input. Upper-casing can leave a string that is no longer in NFKC ("ΐ"), and
    removing a dash can let a combining mark join the letter before it, so outside ASCII the steps
    repeat until the string stops changing.
    """
    if not code:
        return ""
    if code.isascii():
        return _CODE_CHARS_RE.sub("", code).upper()
    text = code
    for _ in range(_CODE_PASSES):
        again = _CODE_CHARS_RE.sub("", unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).upper()))
        if again == text:
            break
        text = again
    return text


def extract_code(raw: str) -> tuple[str, str | None]:
    """Split a level code out of a title string.

    Returns ``(rest_of_title, code)`` with the code in canonical form, or ``(raw, None)`` when the
    string carries no recognisable code. A bare number counts as a code only when it stands alone,
    in brackets or behind a separator, so "Product Manager 2" keeps its level number while
    "Product Manager - 63" yields the code "63".
    """
    if not raw or len(raw) > LONG_TITLE_LENGTH:
        return raw or "", None
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    if _DIGIT_RE.search(text) is None:
        return raw, None  # every code has a digit
    for pattern in _CODE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        rest = (text[: match.start()] + " " + text[match.end() :]).strip(_REST_STRIP)
        return " ".join(rest.split()), normalize_code(match.group("code"))
    return raw, None

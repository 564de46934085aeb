"""Understand a job title: its job family, seniority, track and place on the reference scale.

Spelling a title against one ladder's own words cannot tell a "Senior Project Manager" from a
"Senior Product Manager", nor place a "Senior Director of Product" that no stored ladder uses. The
parser here reads a title the way a recruiter would:

1. fold case and accents, and cut out the noise of job ads (gender markers such as "(m/w/d)" or
   "H/F", "remote", contract words, locations, "at <company>");
2. split it into segments at separators ("Senior PM - Payments, EMEA" has three) and expand
   abbreviations; read the common product-management titles of other languages as English
   ("Produktmanager", "Chef de produit", "Gerente de producto");
3. match the words against the vocabulary, longest phrase first: job families, seniority
   modifiers, role nouns (manager, owner, lead, officer), function qualifiers (technical, growth,
   platform, data, AI), level numbers and codes;
4. take the family from the segment that reads like the title (the right-most family phrase wins,
   so "Data Science Product Manager" is a product manager and "Product Data Scientist" is not);
   a title whose first segment names no family ("Manager, Product Management", "Director,
   Engineering") takes the function named by the next segment;
5. for product-management titles, derive the track and the interval on the reference scale from the
   seniority: the most senior modifier decides, "Lead" and "Head of" are wide, a manager of product
   managers sits on the management track, and a level number moves the title within its band.

Steps 1 to 3 happen here; steps 4 and 5 read the items of the title proper
(``ladder.engine.interpret``). Everything the parser knows comes from the vocabulary, built from
plain data (``ladder.engine.vocabulary``); a ``Vocabulary`` is that compiled data with the parser
and its memo tables. ``certainty`` is how sure the parse is (0..1); a translation's confidence
multiplies it with the match quality, so an understood title always answers below a ladder hit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ladder.engine.constants import LONG_TITLE_LENGTH, PARSE_MEMO_LIMIT
from ladder.engine.interpret import Item, interpret
from ladder.engine.normalize import DOTTED_RE, ROMAN_NUMERALS, SEPARATOR_RE, TOKEN_RE
from ladder.engine.results import Understanding
from ladder.engine.vocabulary import NOISE_TRIGGERS, CompiledVocabulary, fold

__all__ = ["Vocabulary"]

# A level code as one token, with an optional letter after the digits ("l5", "ic5a").
_CODE_TOKEN_RE = re.compile(r"[a-z]{1,4}[0-9]{1,3}[a-z]?")
# A segment read: its items, their kinds, the noise removed, the languages read, and its words as
# one string.
_Segment = tuple[tuple[Item, ...], frozenset[str], tuple[str, ...], tuple[str, ...], str]
_HEAD_KINDS = frozenset({"family", "modifier", "role"})
_QUALIFIER_KINDS = frozenset({"qualifier"})
_LEVEL_KINDS = frozenset({"modifier", "number", "code"})
_NOISE_TRIGGER_RE = re.compile(f"[{re.escape(NOISE_TRIGGERS)}]")
_MANAGEMENT_WORDS = frozenset({"management", "managers", "mgmt", "mgt"})
_LONG_NUMBER_RE = re.compile(r"(?<![^\W\d_])\d{3,}(?![^\W\d_])")


class Vocabulary(CompiledVocabulary):
    """A compiled vocabulary that reads titles: ``understand`` parses one (see the module docstring).

    Parses are memoised per vocabulary: whole titles, the segments they are made of, and the
    meanings of the segments read as the title proper, each table bounded.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._memo: dict[str, Understanding] = {}
        self._segments: dict[str, _Segment] = {}
        self._meanings: dict[tuple[Any, ...], Understanding] = {}

    def understand(self, title: str) -> Understanding:
        """Parse one title (memoised per vocabulary)."""
        if not isinstance(title, str):
            title = "" if title is None else str(title)
        found = self._memo.get(title)
        if found is None:
            found = self._parse(title[:LONG_TITLE_LENGTH])
            if len(self._memo) >= PARSE_MEMO_LIMIT:
                self._memo.clear()
            self._memo[title] = found
        return found

    def needs_parse(self, title: str) -> bool:
        """Whether a fuzzy match of ``title`` could be wrong in a way only its parse tells (a cheap test).

        True for a word of another family, "management", a word of another language the vocabulary
        translates, or a manager named before the function ("Senior Manager, Product").
        """
        words = TOKEN_RE.findall(fold(title))
        if not words:
            return False
        present = set(words)
        if (
            not self.guard_words.isdisjoint(present)
            or not _MANAGEMENT_WORDS.isdisjoint(present)
            or not self.translation_words.isdisjoint(present)
        ):
            return True
        # "Manager, Product", "Senior Manager, Product": a manager before the function.
        manager = next((i for i, word in enumerate(words) if word in ("manager", "mgr")), None)
        return manager is not None and "product" in words[manager + 1 :]

    def may_contradict(self, title: str, normalized: str) -> bool:
        """Whether normalising ``title`` into ``normalized`` may have lost what its parse reads.

        The normaliser drops suffixes that read like a team name and folds "product management"
        into "product"; only a dropped word of another family, or "management", can make its hit
        contradict the parse (a cheap test).
        """
        words = set(TOKEN_RE.findall(fold(title)))
        if not _MANAGEMENT_WORDS.isdisjoint(words):
            return True
        dropped = words.difference(normalized.split())
        return not self.guard_words.isdisjoint(dropped)

    def _translate(self, words: list[str], languages: set[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(words):
            for source, target, language in self.translations.get(words[i], ()):
                if tuple(words[i : i + len(source)]) == source:
                    out.extend(target)
                    languages.add(language)
                    i += len(source)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _scan(self, words: list[str]) -> list[Item]:
        """Greedy longest match: (kind, value, words) per item; unmatched words are numbers, codes or unknown."""
        items: list[Item] = []
        i = 0
        while i < len(words):
            word = words[i]
            for phrase, (kind, value) in self.table.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    items.append((kind, value, phrase))
                    i += len(phrase)
                    break
            else:
                if word.isalpha():
                    if word in ROMAN_NUMERALS and items:
                        items.append(("number", ROMAN_NUMERALS[word], (word,)))
                    else:
                        items.append(("unknown", word, (word,)))
                elif word.isdigit():
                    # A short number is a level number; a long one is a team, a year or a requisition id.
                    items.append(("number" if len(word) <= 2 else "unknown", word, (word,)))
                elif _CODE_TOKEN_RE.fullmatch(word):
                    items.append(("code", word.upper(), (word,)))
                else:
                    items.append(("unknown", word, (word,)))
                i += 1
        return items

    def _segment(self, part: str) -> _Segment:
        """One segment read: its items, the noise it held, the languages translated (memoised)."""
        found = self._segments.get(part)
        if found is None:
            words: list[str] = []
            for word in TOKEN_RE.findall(part):
                words.extend(self.abbreviations.get(word, (word,)))
            company: tuple[str, ...] = ()
            cut = next((i for i, word in enumerate(words) if i and word in self.at_words), None)
            if cut is not None:  # "Product Manager at Acme", "Produktmanager bei Acme": the employer
                company, words = (" ".join(words[cut:]),), words[:cut]
            languages: set[str] = set()
            items = self._scan(self._translate(words, languages)) if words else []
            kept = tuple(item for item in items if item[0] not in ("noise", "filler"))
            noise = company + tuple(" ".join(item[2]) for item in items if item[0] == "noise")
            text = " ".join(w for _, _, words in kept for w in words)
            found = (kept, frozenset(item[0] for item in kept), noise, tuple(languages), text)
            if len(self._segments) >= PARSE_MEMO_LIMIT:
                self._segments.clear()
            self._segments[part] = found
        return found

    def _parse(self, title: str) -> Understanding:
        text = fold(title)
        ignored: list[str] = []
        if _NOISE_TRIGGER_RE.search(text):
            present = set(text)
            for triggers, pattern in self.noise_groups:
                if not triggers.isdisjoint(present):
                    text = pattern.sub(lambda m: ignored.append(m.group(0).strip(" ,")) or " ", text)
        if "." in text:
            text = DOTTED_RE.sub(lambda m: m.group(0).replace(".", ""), text)
        if "&" in text:
            text = text.replace("&", " and ")
        if _LONG_NUMBER_RE.search(text):
            # Requisition ids, years and team numbers are never level information; dropping them
            # also lets "Payments 1234" and "Payments 5678" share one remembered segment.
            ignored.extend(_LONG_NUMBER_RE.findall(text))
            text = _LONG_NUMBER_RE.sub(" ", text)
        languages: set[str] = set()
        segments: list[tuple[str, _Segment]] = []
        for part in SEPARATOR_RE.split(text):
            part = part.strip()
            segment = self._segment(part)
            if segment[2]:
                ignored.extend(segment[2])
            if segment[3]:
                languages.update(segment[3])
            if segment[0]:
                segments.append((part, segment))

        head = next((i for i, (_, s) in enumerate(segments) if not _HEAD_KINDS.isdisjoint(s[1])), None)
        used: list[int] = []
        if head is not None:
            used.append(head)
            if "family" not in segments[head][1][1]:
                function = next((i for i in range(head + 1, len(segments)) if "family" in segments[i][1][1]), None)
                if function is not None:
                    used.append(function)
        qualifiers: dict[str, None] = {}
        key = [segments[i][0] for i in used]
        extra_levels: list[_Segment] = []
        for i, (part, (items, kinds, _, _, words)) in enumerate(segments):
            if i in used:
                continue
            if kinds <= _QUALIFIER_KINDS:
                qualifiers.update((value, None) for _, value, _ in items)
            elif kinds <= _LEVEL_KINDS:
                # "Product Manager (Senior)", "Product Manager - II", "(L5)"
                extra_levels.append(segments[i][1])
                key.append("|" + part)
            else:
                ignored.append(words)
        # The meaning depends only on the segments read as the title proper: remembered by their text.
        meaning_key = tuple(key)
        meaning = self._meanings.get(meaning_key)
        if meaning is None:
            core = tuple(item for i in used for item in segments[i][1][0])
            core += tuple(item for segment in extra_levels for item in segment[0])
            meaning = interpret(self, core)
            if len(self._meanings) >= PARSE_MEMO_LIMIT:
                self._meanings.clear()
            self._meanings[meaning_key] = meaning
        if qualifiers:
            qualifiers = {**dict.fromkeys(meaning.qualifiers), **qualifiers}
        return Understanding(
            title=title,
            family=meaning.family,
            family_name=meaning.family_name,
            is_product_management=meaning.is_product_management,
            qualifiers=tuple(qualifiers) if qualifiers else meaning.qualifiers,
            seniority=meaning.seniority,
            numbers=meaning.numbers,
            codes=meaning.codes,
            track=meaning.track,
            manages=meaning.manages,
            span=meaning.span,
            ignored=tuple(dict.fromkeys(p for p in ignored if p)) if ignored else (),
            unknown=meaning.unknown,
            languages=tuple(sorted(lang for lang in languages if lang)) if languages else (),
            reading=meaning.reading,
            certainty=meaning.certainty,
        )

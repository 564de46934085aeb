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

Everything the parser knows comes from a ``Vocabulary`` built from plain data (the versioned file
``fixtures/vocabulary/title-vocabulary.json``, possibly extended by an operator's override); this
module holds no word lists of its own. ``certainty`` is how sure the parse is (0..1); a
translation's confidence multiplies it with the match quality, so an understood title always
answers below a ladder hit.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from ladder.engine.constants import LONG_TITLE_LENGTH, PARSE_MEMO_LIMIT, SCALE_END, SCALE_START
from ladder.engine.results import Understanding

__all__ = ["Vocabulary", "VocabularyError", "merge_vocabulary"]

_TOKENS = count(1)
_TOKEN_RE = re.compile(r"[^\W_]+")
# Combining marks, dropped after decomposition: "é" -> "e", "ç" -> "c".
_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_DOTTED_RE = re.compile(r"(?<!\w)[^\W\d_]\.(?:[^\W\d_]\.)*[^\W\d_](?!\w)\.?")
_SEPARATOR_RE = re.compile(
    r"\s[-\u2010\u2011\u2212/]+"
    r"|[-\u2010\u2011\u2212/]+\s"
    r"|[\u2012-\u2015|,;:()\[\]{}<>@\u2022\u00b7]"
)
_CODE_TOKEN_RE = re.compile(r"[a-z]{1,4}[0-9]{1,3}[a-z]?")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


class VocabularyError(ValueError):
    """The vocabulary data is malformed."""


@dataclass(frozen=True, slots=True)
class Modifier:
    """A seniority modifier: where it places a product-management title, and how surely."""

    key: str
    track: str
    span: tuple[float, float]
    certainty: float
    order: int


# A phrase table entry: (kind, value). Kinds: family, modifier, role, qualifier, noise, filler.
_Entry = tuple[str, str]
# A segment read: its items (kind, value, words), their kinds, the noise removed, the languages read,
# and its words as one string.
_Segment = tuple[tuple[tuple[str, str, tuple[str, ...]], ...], frozenset[str], tuple[str, ...], tuple[str, ...], str]
_HEAD_KINDS = frozenset({"family", "modifier", "role"})
_QUALIFIER_KINDS = frozenset({"qualifier"})
_LEVEL_KINDS = frozenset({"modifier", "number", "code"})
# Every noise pattern of the vocabulary needs one of these characters; a title without any skips them.
_NOISE_TRIGGERS = "(/*:_%"
_NOISE_TRIGGER_RE = re.compile(r"[(/*:_%]")
_MANAGEMENT_WORDS = frozenset({"management", "managers", "mgmt", "mgt"})
_LONG_NUMBER_RE = re.compile(r"(?<![^\W\d_])\d{3,}(?![^\W\d_])")


def _fold(text: str) -> str:
    """Lower case, compatibility forms, no accents ("Gerente de Produção" -> "gerente de producao")."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


def _words(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(_fold(text)))


class Vocabulary:
    """The parser's knowledge, built once from plain data and read-only afterwards.

    ``version`` names the data (it is part of every cache key that depends on parses); ``token`` is
    a number unique in the process, for memo tables.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self._build(data)
        except (KeyError, TypeError, ValueError, re.error) as err:
            raise VocabularyError(f"Malformed title vocabulary: {err}") from err
        self.token = next(_TOKENS)
        self._memo: dict[str, Understanding] = {}
        self._segments: dict[str, _Segment] = {}
        self._meanings: dict[tuple[Any, ...], Understanding] = {}

    # --- construction ---------------------------------------------------------------------------

    def _build(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.version = str(data["version"])
        self.family = str(data.get("family", "product-management"))
        self.family_names: dict[str, str] = {}
        table: dict[tuple[str, ...], _Entry] = {}

        def add(phrase: str, entry: _Entry) -> None:
            words = _words(phrase)
            if words and words not in table:
                table[words] = entry

        self.abbreviations: dict[str, tuple[str, ...]] = {
            _fold(k): _words(v) for k, v in dict(data.get("abbreviations", {})).items() if _words(v)
        }
        noise = data.get("noise", {})
        for phrase in noise.get("fillers", ()):
            add(phrase, ("filler", phrase))
        self.fillers = frozenset(w for p in noise.get("fillers", ()) for w in _words(p))
        self.agent_nouns = frozenset(w for p in data.get("agent_nouns", ()) for w in _words(p))
        # Seniority first: a phrase listed both as a modifier and elsewhere is a modifier.
        self.modifiers: dict[str, Modifier] = {}
        for order, item in enumerate(data["seniority"]):
            span = (float(item["span"][0]), float(item["span"][1]))
            if not span[0] < span[1]:
                raise ValueError(f"seniority {item['key']!r}: span must rise")
            modifier = Modifier(str(item["key"]), str(item["track"]), span, float(item.get("certainty", 1.0)), order)
            self.modifiers[modifier.key] = modifier
            for phrase in item.get("phrases", ()):
                add(phrase, ("modifier", modifier.key))
        for kind, phrases in dict(data.get("roles", {})).items():
            for phrase in phrases:
                add(phrase, ("role", kind))
        for item in data["families"]:
            slug = str(item["slug"])
            self.family_names[slug] = str(item.get("name", slug))
            for phrase in item.get("phrases", ()):
                add(phrase, ("family", slug))
        if self.family not in self.family_names:
            raise ValueError(f"the family {self.family!r} has no entry in families")
        # Words naming another family and no product-management title (role and seniority words
        # left out): a title with one of them may be of another family.
        generic = {w for words in table if table[words][0] in ("role", "modifier", "filler") for w in words}
        pm_words = {w for words, entry in table.items() if entry == ("family", self.family) for w in words}
        self.guard_words = (
            frozenset(
                w for words, (kind, value) in table.items() if kind == "family" and value != self.family for w in words
            )
            - pm_words
            - generic
        )
        for key, phrases in dict(data.get("qualifiers", {})).items():
            for phrase in phrases:
                add(phrase, ("qualifier", key))
        for phrase in noise.get("phrases", ()):
            add(phrase, ("noise", phrase))
        self.at_words = frozenset(_fold(w) for w in noise.get("employer_words", ()))
        patterns = [str(p) for p in noise.get("patterns", ())]
        for pattern in patterns:
            if not any(ch in pattern for ch in _NOISE_TRIGGERS):
                raise ValueError(f"noise pattern {pattern!r} needs one of {_NOISE_TRIGGERS!r}")
        for pattern in patterns:
            re.compile(pattern)  # name a broken pattern on its own
        # Patterns grouped by the trigger characters they contain, one alternation per group: a
        # title is searched only by the groups whose characters it has ("80%" needs a "%").
        grouped: dict[str, list[str]] = {}
        for pattern in patterns:
            grouped.setdefault("".join(ch for ch in _NOISE_TRIGGERS if ch in pattern), []).append(pattern)
        self.noise_groups = tuple(
            (frozenset(triggers), re.compile("|".join(f"(?:{p})" for p in group)))
            for triggers, group in grouped.items()
        )
        contexts = dict(data.get("contexts", {}))
        self.contexts: dict[str, Modifier] = {
            key: Modifier(key, str(c["track"]), (float(c["span"][0]), float(c["span"][1])), float(c["certainty"]), -1)
            for key, c in contexts.items()
        }
        if "plain" not in self.contexts:
            raise ValueError("contexts needs a 'plain' entry")
        numbers = dict(data.get("numbers", {}))
        self.number_step = float(numbers.get("step", 0.5))
        self.number_width = float(numbers.get("width", 1.0))
        self.number_base_plain = int(numbers.get("base_number_plain", 2))
        self.number_base_modified = int(numbers.get("base_number_modified", 1))
        self.number_max = int(numbers.get("max", 6))
        self.number_certainty = float(numbers.get("certainty", 0.85))
        confidence = dict(data.get("confidence", {}))
        self.base_certainty = float(confidence.get("base", 0.8))
        self.unknown_word_factor = float(confidence.get("unknown_word", 0.9))
        self.code_factor = float(confidence.get("code", 0.85))

        # Phrases by their first word, longest first, for a greedy longest-match scan.
        self.table: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
        for words, entry in table.items():
            self.table.setdefault(words[0], []).append((words, entry))
        for entries in self.table.values():
            entries.sort(key=lambda pair: -len(pair[0]))

        self.translations: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = {}
        for item in data.get("translations", ()):
            source, target = _words(item["from"]), _words(item["to"])
            if source and target:
                self.translations.setdefault(source[0], []).append((source, target, str(item.get("language", ""))))
        for entries in self.translations.values():
            entries.sort(key=lambda triple: -len(triple[0]))
        self.translation_words = frozenset(self.translations)

    @classmethod
    def from_file(cls, path: str | Path, overrides: Iterable[str | Path] = ()) -> Vocabulary:
        """Read the vocabulary file, extended by each override file in turn."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for extra in overrides:
            data = merge_vocabulary(data, json.loads(Path(extra).read_text(encoding="utf-8")))
        return cls(data)

    # --- parsing --------------------------------------------------------------------------------

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
        words = _TOKEN_RE.findall(_fold(title))
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
        words = set(_TOKEN_RE.findall(_fold(title)))
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

    def _scan(self, words: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
        """Greedy longest match: (kind, value, words) per item; unmatched words are numbers, codes or unknown."""
        items: list[tuple[str, str, tuple[str, ...]]] = []
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
                    if word in _ROMAN and items:
                        items.append(("number", str(_ROMAN[word]), (word,)))
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
            for word in _TOKEN_RE.findall(part):
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
        text = _fold(title)
        ignored: list[str] = []
        if _NOISE_TRIGGER_RE.search(text):
            present = set(text)
            for triggers, pattern in self.noise_groups:
                if not triggers.isdisjoint(present):
                    text = pattern.sub(lambda m: ignored.append(m.group(0).strip(" ,")) or " ", text)
        if "." in text:
            text = _DOTTED_RE.sub(lambda m: m.group(0).replace(".", ""), text)
        if "&" in text:
            text = text.replace("&", " and ")
        if _LONG_NUMBER_RE.search(text):
            # Requisition ids, years and team numbers are never level information; dropping them
            # also lets "Payments 1234" and "Payments 5678" share one remembered segment.
            ignored.extend(_LONG_NUMBER_RE.findall(text))
            text = _LONG_NUMBER_RE.sub(" ", text)
        languages: set[str] = set()
        segments: list[tuple[str, _Segment]] = []
        for part in _SEPARATOR_RE.split(text):
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
            meaning = self._interpret(core)
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

    def _interpret(self, core: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Understanding:
        """What the words of the title proper mean (memoised: titles differ mostly in their suffixes)."""
        # The family is named by the phrase with a role noun in it ("Produktmanager Software" is a
        # product manager), then by the right-most phrase ("Data Science Product Manager"), then by
        # the longest.
        families = [
            (not self.agent_nouns.isdisjoint(words), pos, len(words), value)
            for pos, (kind, value, words) in enumerate(core)
            if kind == "family"
        ]
        family: str | None = None
        if families:
            family = max(families)[3]
            readings = [" ".join(words) for kind, _, words in core]
            if family != self.family and any(v == self.family for *_, v in families):
                # "Product and Engineering", "Engineering & Product": a product title all the same.
                for _, pos, _, value in families:
                    if value == self.family and (
                        (pos + 1 < len(readings) and readings[pos + 1] == "and")
                        or (pos > 0 and readings[pos - 1] == "and")
                    ):
                        family = self.family
        modifiers = [value for kind, value, _ in core if kind == "modifier"]
        roles = [value for kind, value, _ in core if kind == "role"]
        numbers = tuple(int(value) for kind, value, _ in core if kind == "number")
        codes = tuple(value for kind, value, _ in core if kind == "code")
        qualifiers = tuple(dict.fromkeys(value for kind, value, _ in core if kind == "qualifier"))
        unknown = tuple(value for kind, value, _ in core if kind == "unknown" and value != "and")
        reading = " ".join(w for _, _, words in core for w in words)

        is_pm = family == self.family
        track: str | None = None
        span: tuple[float, float] | None = None
        manages = False
        certainty = self.base_certainty
        seniority = list(dict.fromkeys(modifiers))
        if is_pm:
            placement = self._place(list(core), seniority, roles, numbers)
            if placement is not None:
                modifier, manages, shifted = placement
                track, span = modifier.track, shifted
                certainty *= modifier.certainty
                if manages:
                    seniority = [m for m in seniority if m not in ("senior",)] + [modifier.key]
                if numbers:
                    certainty *= self.number_certainty
                if codes:
                    certainty *= self.code_factor
                certainty *= self.unknown_word_factor ** min(len(unknown), 3)
        if family is not None and not is_pm:
            certainty *= self.unknown_word_factor ** min(len(unknown), 3)
        return Understanding(
            title="",
            family=family,
            family_name=self.family_names.get(family) if family else None,
            is_product_management=is_pm,
            qualifiers=qualifiers,
            seniority=tuple(dict.fromkeys(seniority)),
            numbers=numbers,
            codes=codes,
            track=track,
            manages=manages,
            span=span,
            ignored=(),
            unknown=unknown,
            languages=(),
            reading=reading,
            certainty=round(certainty, 3) if family else 0.0,
        )

    def _place(
        self,
        core: list[tuple[str, str, tuple[str, ...]]],
        seniority: list[str],
        roles: list[str],
        numbers: tuple[int, ...],
    ) -> tuple[Modifier, bool, tuple[float, float]] | None:
        """The deciding modifier, whether the title manages PMs, and the interval (None: not placeable)."""
        pm_phrases = [(pos, words) for pos, (kind, value, words) in enumerate(core) if value == self.family]
        phrase_words = {w for _, words in pm_phrases for w in words}
        has_role_in_phrase = bool(phrase_words & {"manager", "owner", "managers"})
        # "Manager, Product Management", "Product Management Manager", "Manager of Product Managers":
        # a manager whose function is product management manages product managers.
        manages = "manager" in roles and (
            "management" in phrase_words or "managers" in phrase_words or not has_role_in_phrase
        )
        # "Product Lead" (lead as the role noun) is wider than "Lead Product Manager".
        lead_as_role = False
        for pos, words in pm_phrases:
            if words == ("product",) and pos + 1 < len(core) and core[pos + 1][1] == "lead":
                lead_as_role = not has_role_in_phrase
        chosen = [self.modifiers[key] for key in seniority if key in self.modifiers]
        leadership = [m for m in chosen if m.track != "ic" or m.key == "lead"]
        modifier: Modifier | None = max(chosen, key=lambda m: m.order) if chosen else None
        if manages and not any(m.order > self.modifiers.get("manager of", m).order for m in chosen):
            key = "senior manager of" if "senior" in seniority else "manager of"
            modifier = self.modifiers.get(key, modifier)
        elif "team_lead" in roles and not leadership:
            modifier = self.contexts.get("team_lead", modifier)
        elif lead_as_role and [m.key for m in chosen] == ["lead"]:
            modifier = self.contexts.get("lead_as_role", modifier)
        if modifier is None:
            if not (has_role_in_phrase or "owner" in roles or "manager" in roles):
                return None  # "Product" alone, or with a team name: no role, no seniority
            modifier = self.contexts["plain"]
        if modifier.key == "chief" and not ({"officer"} & set(roles) or phrase_words):
            return None
        start, end = modifier.span
        number = next((n for n in numbers if 1 <= n <= self.number_max), None)
        if number is not None:
            plain = modifier.key == "plain"
            base = self.number_base_plain if plain else self.number_base_modified
            shift = (number - base) * self.number_step
            if plain:
                middle = (start + end) / 2 + shift
                start, end = middle - self.number_width / 2, middle + self.number_width / 2
            else:
                start, end = start + shift, end + shift
        start, end = max(start, SCALE_START), min(end, SCALE_END)
        if not start < end:
            return None
        return modifier, manages, (round(start, 3), round(end, 3))


def merge_vocabulary(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` extended by ``extra``: lists grow, entries with the same slug or key gain phrases.

    The merged version is ``"<base>+<extra>"`` so that caches keyed by it change with either file.
    """
    merged = json.loads(json.dumps(base))
    if "version" not in extra:
        raise VocabularyError("An override vocabulary needs its own 'version'.")
    merged["version"] = f"{base['version']}+{extra['version']}"

    def extend(items: list[dict[str, Any]], more: Iterable[Mapping[str, Any]], key: str) -> None:
        by_key = {item[key]: item for item in items}
        for entry in more:
            found = by_key.get(entry[key])
            if found is None:
                items.append(dict(entry))
                by_key[entry[key]] = items[-1]
            else:
                for field, value in entry.items():
                    if field == "phrases":
                        found["phrases"] = [*found.get("phrases", []), *value]
                    elif field != key:
                        found[field] = value

    extend(merged["families"], extra.get("families", ()), "slug")
    extend(merged["seniority"], extra.get("seniority", ()), "key")
    for name in ("roles", "qualifiers"):
        for key, phrases in dict(extra.get(name, {})).items():
            merged.setdefault(name, {}).setdefault(key, []).extend(phrases)
    for key, value in dict(extra.get("noise", {})).items():
        merged.setdefault("noise", {}).setdefault(key, []).extend(value)
    merged.setdefault("abbreviations", {}).update(extra.get("abbreviations", {}))
    merged.setdefault("translations", []).extend(extra.get("translations", ()))
    for name in ("contexts", "numbers", "confidence"):
        if name in extra:
            merged.setdefault(name, {}).update(extra[name])
    return merged

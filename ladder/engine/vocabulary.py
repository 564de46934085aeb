"""The title vocabulary compiled from plain data: everything the title parser knows.

The data is the versioned file ``fixtures/vocabulary/title-vocabulary.json``, possibly extended by
an operator's override (``merge_vocabulary``): job families, seniority modifiers with their place
on the reference scale, role nouns, function qualifiers, noise of job ads, abbreviations and the
product-management titles of other languages. ``CompiledVocabulary`` turns it into the lookup
tables the parser reads (``ladder.engine.understand``); no module of the engine holds word lists
of the parser's own.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, Self

from ladder.engine.normalize import TOKEN_RE

__all__ = ["CompiledVocabulary", "Modifier", "VocabularyError", "fold", "merge_vocabulary", "split_words"]

_TOKENS = count(1)
# Combining marks, dropped after decomposition: "é" -> "e", "ç" -> "c".
_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# A phrase table entry: (kind, value). Kinds: family, modifier, role, qualifier, noise, filler.
_Entry = tuple[str, str]
# Every noise pattern of the vocabulary needs one of these characters; a title without any skips them.
NOISE_TRIGGERS = "(/*:_%"


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


def fold(text: str) -> str:
    """Lower case, compatibility forms, no accents ("Gerente de Produção" -> "gerente de producao")."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


def split_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    return tuple(TOKEN_RE.findall(fold(text)))


class CompiledVocabulary:
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

    @classmethod
    def from_file(cls, path: str | Path, overrides: Iterable[str | Path] = ()) -> Self:
        """Read the vocabulary file, extended by each override file in turn."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for extra in overrides:
            data = merge_vocabulary(data, json.loads(Path(extra).read_text(encoding="utf-8")))
        return cls(data)

    def _build(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.version = str(data["version"])
        self.family = str(data.get("family", "product-management"))
        self.family_names: dict[str, str] = {}
        table: dict[tuple[str, ...], _Entry] = {}

        def add(phrase: str, entry: _Entry) -> None:
            words = split_words(phrase)
            if words and words not in table:
                table[words] = entry

        self.abbreviations: dict[str, tuple[str, ...]] = {
            fold(k): split_words(v) for k, v in dict(data.get("abbreviations", {})).items() if split_words(v)
        }
        noise = data.get("noise", {})
        for phrase in noise.get("fillers", ()):
            add(phrase, ("filler", phrase))
        self.fillers = frozenset(w for p in noise.get("fillers", ()) for w in split_words(p))
        self.agent_nouns = frozenset(w for p in data.get("agent_nouns", ()) for w in split_words(p))
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
        self.at_words = frozenset(fold(w) for w in noise.get("employer_words", ()))
        patterns = [str(p) for p in noise.get("patterns", ())]
        for pattern in patterns:
            if not any(ch in pattern for ch in NOISE_TRIGGERS):
                raise ValueError(f"noise pattern {pattern!r} needs one of {NOISE_TRIGGERS!r}")
        for pattern in patterns:
            re.compile(pattern)  # name a broken pattern on its own
        # Patterns grouped by the trigger characters they contain, one alternation per group: a
        # title is searched only by the groups whose characters it has ("80%" needs a "%").
        grouped: dict[str, list[str]] = {}
        for pattern in patterns:
            grouped.setdefault("".join(ch for ch in NOISE_TRIGGERS if ch in pattern), []).append(pattern)
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
            source, target = split_words(item["from"]), split_words(item["to"])
            if source and target:
                self.translations.setdefault(source[0], []).append((source, target, str(item.get("language", ""))))
        for entries in self.translations.values():
            entries.sort(key=lambda triple: -len(triple[0]))
        self.translation_words = frozenset(self.translations)


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

"""What the words of a title mean: its family, seniority, track, place on the scale and certainty.

The parser (``ladder.engine.understand``) reads a title into items, each a phrase of the
vocabulary or a word it does not know; here the items of the title proper become its meaning:

* the family is named by the phrase with a role noun in it ("Produktmanager Software" is a product
  manager), then by the right-most family phrase ("Data Science Product Manager" is a product
  manager, "Product Data Scientist" is not), then by the longest;
* for product-management titles, the most senior modifier decides the track and the interval on
  the reference scale, "Lead" and "Head of" are wide, a manager of product managers sits on the
  management track, and a level number moves the title within its band;
* the certainty starts from the vocabulary's base and drops with each modifier's own certainty, a
  level number, a code and every word the vocabulary does not know.
"""

from __future__ import annotations

from ladder.engine.constants import SCALE_END, SCALE_START
from ladder.engine.results import Understanding
from ladder.engine.vocabulary import CompiledVocabulary, Modifier

__all__ = ["Item", "interpret"]

# One thing read in a title: (kind, value, words). Kinds are those of the vocabulary's phrases
# (family, modifier, role, qualifier, noise, filler) and number, code or unknown.
Item = tuple[str, str, tuple[str, ...]]


def interpret(vocabulary: CompiledVocabulary, core: tuple[Item, ...]) -> Understanding:
    """What the items of the title proper mean (the parser memoises it: titles differ mostly in their suffixes)."""
    # The family is named by the phrase with a role noun in it ("Produktmanager Software" is a
    # product manager), then by the right-most phrase ("Data Science Product Manager"), then by
    # the longest.
    families = [
        (not vocabulary.agent_nouns.isdisjoint(words), pos, len(words), value)
        for pos, (kind, value, words) in enumerate(core)
        if kind == "family"
    ]
    family: str | None = None
    if families:
        family = max(families)[3]
        readings = [" ".join(words) for kind, _, words in core]
        if family != vocabulary.family and any(v == vocabulary.family for *_, v in families):
            # "Product and Engineering", "Engineering & Product": a product title all the same.
            for _, pos, _, value in families:
                if value == vocabulary.family and (
                    (pos + 1 < len(readings) and readings[pos + 1] == "and") or (pos > 0 and readings[pos - 1] == "and")
                ):
                    family = vocabulary.family
    modifiers = [value for kind, value, _ in core if kind == "modifier"]
    roles = [value for kind, value, _ in core if kind == "role"]
    numbers = tuple(int(value) for kind, value, _ in core if kind == "number")
    codes = tuple(value for kind, value, _ in core if kind == "code")
    qualifiers = tuple(dict.fromkeys(value for kind, value, _ in core if kind == "qualifier"))
    unknown = tuple(value for kind, value, _ in core if kind == "unknown" and value != "and")
    reading = " ".join(w for _, _, words in core for w in words)

    is_pm = family == vocabulary.family
    track: str | None = None
    span: tuple[float, float] | None = None
    manages = False
    certainty = vocabulary.base_certainty
    seniority = list(dict.fromkeys(modifiers))
    if is_pm:
        placement = _place(vocabulary, list(core), seniority, roles, numbers)
        if placement is not None:
            modifier, manages, shifted = placement
            track, span = modifier.track, shifted
            certainty *= modifier.certainty
            if manages:
                seniority = [m for m in seniority if m not in ("senior",)] + [modifier.key]
            if numbers:
                certainty *= vocabulary.number_certainty
            if codes:
                certainty *= vocabulary.code_factor
            certainty *= vocabulary.unknown_word_factor ** min(len(unknown), 3)
    if family is not None and not is_pm:
        certainty *= vocabulary.unknown_word_factor ** min(len(unknown), 3)
    return Understanding(
        title="",
        family=family,
        family_name=vocabulary.family_names.get(family) if family else None,
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
    vocabulary: CompiledVocabulary,
    core: list[Item],
    seniority: list[str],
    roles: list[str],
    numbers: tuple[int, ...],
) -> tuple[Modifier, bool, tuple[float, float]] | None:
    """The deciding modifier, whether the title manages PMs, and the interval (None: not placeable)."""
    pm_phrases = [(pos, words) for pos, (kind, value, words) in enumerate(core) if value == vocabulary.family]
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
    chosen = [vocabulary.modifiers[key] for key in seniority if key in vocabulary.modifiers]
    leadership = [m for m in chosen if m.track != "ic" or m.key == "lead"]
    modifier: Modifier | None = max(chosen, key=lambda m: m.order) if chosen else None
    if manages and not any(m.order > vocabulary.modifiers.get("manager of", m).order for m in chosen):
        key = "senior manager of" if "senior" in seniority else "manager of"
        modifier = vocabulary.modifiers.get(key, modifier)
    elif "team_lead" in roles and not leadership:
        modifier = vocabulary.contexts.get("team_lead", modifier)
    elif lead_as_role and [m.key for m in chosen] == ["lead"]:
        modifier = vocabulary.contexts.get("lead_as_role", modifier)
    if modifier is None:
        if not (has_role_in_phrase or "owner" in roles or "manager" in roles):
            return None  # "Product" alone, or with a team name: no role, no seniority
        modifier = vocabulary.contexts["plain"]
    if modifier.key == "chief" and not ({"officer"} & set(roles) or phrase_words):
        return None
    start, end = modifier.span
    number = next((n for n in numbers if 1 <= n <= vocabulary.number_max), None)
    if number is not None:
        plain = modifier.key == "plain"
        base = vocabulary.number_base_plain if plain else vocabulary.number_base_modified
        shift = (number - base) * vocabulary.number_step
        if plain:
            middle = (start + end) / 2 + shift
            start, end = middle - vocabulary.number_width / 2, middle + vocabulary.number_width / 2
        else:
            start, end = start + shift, end + shift
    start, end = max(start, SCALE_START), min(end, SCALE_END)
    if not start < end:
        return None
    return modifier, manages, (round(start, 3), round(end, 3))

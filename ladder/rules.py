"""The rule book: every rule about ladders, levels and aliases, written once, as pure functions.

The ladder document (``services.documents``), single-object writes (``services.levels``,
``services.aliases``), the admin's forms and the models' single-row ``clean()`` all ask these
functions, so one rule gives one answer everywhere. The database constraints are the authority
behind them (a race can pass a check and still meet a constraint); they carry the same codes, with
``constraint_message`` as their text.

Each error code has exactly one message template in ``MESSAGES``; an error is
``{"code", "message", "field"}`` with the message rendered from it. Functions here take plain
values or model instances already loaded by the caller, and never query the database.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ladder.engine.normalize import normalize_code, normalize_title

MAX_LEVELS_PER_DOCUMENT = 1000

# Titles are compared after normalisation; the messages about clashing titles say so.
_NORMALISED = (
    "titles are compared in normalised form (letter case, punctuation, spacing and abbreviations such "
    'as "Sr." for "Senior" do not count)'
)

MESSAGES: dict[str, str] = {
    "too_many_levels": "A ladder document holds at most {limit} levels.",
    "empty_title": "A title needs at least one letter or digit.",
    "duplicate_code": (
        'Another level of this ladder has code "{code}" (codes are compared without spaces, dashes or dots, '
        "in upper case)."
    ),
    "duplicate_external_id": 'external_id "{external_id}" is already used by another {kind}.',
    "duplicate_title": (
        '"{title}" is the title of more than one level of this ladder; levels that share a title must each '
        "carry a distinct code."
    ),
    "incomplete_span": "Give both scale_from and scale_to, or neither.",
    "invalid_span": "scale_to must be greater than scale_from.",
    "wrong_framework": "The {item} belongs to another framework than the {owner}.",
    "invalid_window": "valid_to must be after valid_from.",
    "alias_names_other_level": (
        '"{title}" is the same title as level "{other}" of this ladder: ' + _NORMALISED + "; a current alias "
        "may not name another level."
    ),
    "duplicate_alias": (
        '"{title}" is the same title as the current alias "{other}" of level "{owner}": ' + _NORMALISED + "."
    ),
    "alias_in_use": (
        '"{title}" is the same title as the current alias "{other}" of level "{owner}", which keeps it: '
        + _NORMALISED
        + "."
    ),
    "code_in_use": 'Code "{code}" belongs to level "{owner}", which this document does not list.',
    "external_id_in_use": 'external_id "{external_id}" belongs to level "{owner}", which this document does not list.',
    "in_use": "{item} is in use by company ladders and cannot be removed.",
    "reserved": '"{slug}" names the reference framework itself in translations; choose another slug.',
    "slug_taken": ('The slug "{slug}" is taken: slugs are unique within an organization and among public companies.'),
    "not_a_list_of_strings": "Must be a list of strings.",
    "duplicate_ladder": "The company already has a ladder for this framework.",
}

_PLACEHOLDER_NAMES = re.compile(r"\{(\w+)\}")

# A constraint's message cannot know the row's values: "…" stands for them, except these.
_NEUTRAL = {"limit": str(MAX_LEVELS_PER_DOCUMENT), "kind": "row", "item": "It"}


def message(code: str, /, **params: Any) -> str:
    return MESSAGES[code].format(**params)


def error(code: str, field: str | None, /, **params: Any) -> dict:
    return {"code": code, "message": message(code, **params), "field": field}


def constraint_message(code: str) -> str:
    """The message a database constraint carries for ``code``: its template with neutral words."""
    return _PLACEHOLDER_NAMES.sub(lambda m: _NEUTRAL.get(m.group(1), "…"), MESSAGES[code])


def placeholders(code: str) -> set[str]:
    return set(_PLACEHOLDER_NAMES.findall(MESSAGES[code]))


# --- Single-row rules (models' clean(), and every write) -----------------------------------------


def title_errors(title: str, field: str = "title") -> list[dict]:
    return [] if normalize_title(title or "") else [error("empty_title", field)]


def span_errors(scale_from: float | None, scale_to: float | None, field: str = "scale_to") -> list[dict]:
    if (scale_from is None) != (scale_to is None):
        return [error("incomplete_span", field)]
    if scale_from is not None and scale_from >= scale_to:
        return [error("invalid_span", field)]
    return []


def window_errors(valid_from, valid_to, field: str = "valid_to") -> list[dict]:
    if valid_from and valid_to and valid_from >= valid_to:
        return [error("invalid_window", field)]
    return []


def string_list_errors(value: Any, field: str) -> list[dict]:
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return []
    return [error("not_a_list_of_strings", field)]


def anchor_errors(reference_framework_id: int | None, ladder_framework_id: int | None, field: str) -> list[dict]:
    if reference_framework_id is None or ladder_framework_id is None or reference_framework_id == ladder_framework_id:
        return []
    return wrong_framework_errors(field, "reference level", "ladder")


def wrong_framework_errors(field: str, item: str, owner: str) -> list[dict]:
    return [error("wrong_framework", field, item=item, owner=owner)]


# --- Django's form of the same errors (clean(), forms) -------------------------------------------


def django_errors(errors: Any, instance: Any = None, move: dict[str, str] | None = None) -> dict[str, list]:
    """Rule-book errors as Django wants them from ``clean()``: ``{field: [ValidationError]}``.

    Given the ``ValidationError`` of ``validate_constraints``, its rule-book codes are rendered again
    with the row's values (``instance``), and a code in ``move`` goes from the whole row to that field.
    """
    if isinstance(errors, ValidationError):
        items = []
        for field, problems in errors.update_error_dict({}).items():
            for problem in problems:
                code = problem.code
                target = (move or {}).get(code, field) if field == NON_FIELD_ERRORS else field
                if code in MESSAGES:
                    items.append({"code": code, "message": _render_for(code, instance), "field": target})
                else:
                    items.append({"code": code, "message": problem, "field": target})
        errors = items
    result: dict[str, list] = defaultdict(list)
    for item in errors:
        message_ = item["message"]
        if not isinstance(message_, ValidationError):
            message_ = ValidationError(message_, code=item["code"])
        result[item["field"] or NON_FIELD_ERRORS].append(message_)
    return dict(result)


def _render_for(code: str, instance: Any) -> str:
    values = {
        "slug": getattr(instance, "slug", None),
        "code": getattr(instance, "code", None),
        "title": getattr(instance, "title", None),
        "external_id": getattr(instance, "external_id", None),
        "kind": instance._meta.verbose_name if instance is not None else None,
    }
    wanted = placeholders(code)
    if all(values.get(name) for name in wanted):
        return message(code, **{name: values[name] for name in wanted})
    return constraint_message(code)


# --- A whole ladder (the document, and the admin's level table) ----------------------------------


def document_errors(levels: Sequence[Any], framework_id: int, prefix: str = "levels") -> list[dict]:
    """Rules that need the whole set of levels: uniqueness inside it, spans, anchors, alias windows.

    ``levels`` are document levels (``title``, ``code``, ``external_id``, ``is_active``, ``scale_from``,
    ``scale_to``, ``reference_level``, ``aliases`` of ``title``/``valid_from``/``valid_to``).
    """
    if len(levels) > MAX_LEVELS_PER_DOCUMENT:
        return [error("too_many_levels", prefix, limit=MAX_LEVELS_PER_DOCUMENT)]
    errors: list[dict] = []
    codes = Counter(normalize_code(lv.code) for lv in levels if lv.code)
    ext_ids = Counter(lv.external_id for lv in levels if lv.external_id)
    titles: dict[str, list[int]] = defaultdict(list)
    for i, lv in enumerate(levels):
        if lv.is_active:
            titles[normalize_title(lv.title)].append(i)
    alias_owner: dict[str, tuple[int, str]] = {}
    for i, lv in enumerate(levels):
        path = f"{prefix}[{i}]"
        norm = normalize_title(lv.title)
        errors += title_errors(lv.title, f"{path}.title")
        if lv.code and codes[normalize_code(lv.code)] > 1:
            errors.append(error("duplicate_code", f"{path}.code", code=lv.code))
        if lv.external_id and ext_ids[lv.external_id] > 1:
            errors.append(
                error("duplicate_external_id", f"{path}.external_id", external_id=lv.external_id, kind="level")
            )
        if lv.is_active and norm and len(titles[norm]) > 1 and not lv.code:
            errors.append(error("duplicate_title", f"{path}.code", title=lv.title))
        errors += span_errors(lv.scale_from, lv.scale_to, f"{path}.scale_to")
        reference = lv.reference_level
        errors += anchor_errors(reference.framework_id if reference else None, framework_id, f"{path}.reference_level")
        for j, alias in enumerate(lv.aliases):
            apath = f"{path}.aliases[{j}]"
            anorm = normalize_title(alias.title)
            if not anorm:
                errors += title_errors(alias.title, f"{apath}.title")
                continue
            errors += window_errors(alias.valid_from, alias.valid_to, f"{apath}.valid_to")
            if alias.valid_to is not None:
                continue
            other_levels = [k for k in titles.get(anorm, []) if k != i]
            if other_levels:
                other = levels[other_levels[0]].title
                errors.append(error("alias_names_other_level", f"{apath}.title", title=alias.title, other=other))
            elif anorm in alias_owner:
                owner_index, other = alias_owner[anorm]
                errors.append(
                    error(
                        "duplicate_alias",
                        f"{apath}.title",
                        title=alias.title,
                        other=other,
                        owner=levels[owner_index].title,
                    )
                )
            else:
                alias_owner[anorm] = (i, alias.title)
    return errors


def unlisted_collisions(levels: Sequence[Any], unlisted: Iterable[Any], prefix: str = "levels") -> list[dict]:
    """A code, external_id or current alias that the document gives to one level but a level it does
    not list holds (an unlisted level is deactivated and keeps what it has)."""
    codes, ext_ids, aliases = {}, {}, {}
    for lv in unlisted:
        if lv.code_canonical:
            codes[lv.code_canonical] = lv
        if lv.external_id:
            ext_ids[lv.external_id] = lv
        for alias in lv.aliases.all():
            if alias.valid_to is None:
                aliases[alias.title_normalized] = (lv, alias)
    errors: list[dict] = []
    for i, doc in enumerate(levels):
        holder = codes.get(normalize_code(doc.code)) if doc.code else None
        if holder is not None:
            errors.append(error("code_in_use", f"{prefix}[{i}].code", code=doc.code, owner=holder.title))
        holder = ext_ids.get(doc.external_id) if doc.external_id else None
        if holder is not None:
            errors.append(
                error(
                    "external_id_in_use", f"{prefix}[{i}].external_id", external_id=doc.external_id, owner=holder.title
                )
            )
        for j, alias in enumerate(doc.aliases):
            found = aliases.get(normalize_title(alias.title)) if alias.valid_to is None else None
            if found is not None:
                owner, other = found
                errors.append(
                    error(
                        "alias_in_use",
                        f"{prefix}[{i}].aliases[{j}].title",
                        title=alias.title,
                        other=other.title,
                        owner=owner.title,
                    )
                )
    return errors


# --- One level or one alias among the rows already stored -----------------------------------------


def level_errors(level: Any, siblings: Iterable[Any], current_aliases: Iterable[Any]) -> list[dict]:
    """Rules for one level (normalised) among the other levels of its ladder and its current aliases."""
    errors: list[dict] = []
    fields: set[str] = set()
    siblings = [lv for lv in siblings if lv.pk != level.pk]
    if level.code_canonical and any(lv.code_canonical == level.code_canonical for lv in siblings):
        errors.append(error("duplicate_code", "code", code=level.code))
    if level.external_id and any(lv.external_id == level.external_id for lv in siblings):
        errors.append(error("duplicate_external_id", "external_id", external_id=level.external_id, kind="level"))
    fields.update(e["field"] for e in errors)
    if level.title_normalized and level.is_active and "code" not in fields:
        clashes = [lv for lv in siblings if lv.is_active and lv.title_normalized == level.title_normalized]
        if clashes and (level.code is None or any(lv.code is None for lv in clashes)):
            errors.append(error("duplicate_title", "code" if level.code is None else "title", title=level.title))
            fields.add("title")
    if level.title_normalized and "title" not in fields:
        for alias in current_aliases:
            if alias.title_normalized == level.title_normalized and alias.level_id != level.pk:
                owner = next((lv.title for lv in siblings if lv.pk == alias.level_id), "")
                errors.append(error("alias_in_use", "title", title=level.title, other=alias.title, owner=owner))
                break
    return errors


def alias_errors(alias: Any, levels: Iterable[Any], current_aliases: Iterable[Any]) -> list[dict]:
    """Rules for one alias (normalised) among its ladder's levels and other current aliases."""
    if not alias.title_normalized or alias.valid_to is not None:
        return []
    levels = list(levels)
    for other in current_aliases:
        if other.pk != alias.pk and other.title_normalized == alias.title_normalized:
            owner = next((lv.title for lv in levels if lv.pk == other.level_id), "")
            return [error("duplicate_alias", "title", title=alias.title, other=other.title, owner=owner)]
    for lv in levels:
        if lv.pk != alias.level_id and lv.is_active and lv.title_normalized == alias.title_normalized:
            return [error("alias_names_other_level", "title", title=alias.title, other=lv.title)]
    return []

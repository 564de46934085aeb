"""Validation for single-object writes: Django's single-row checks and the rule book's cross-row rules,
raised as the domain's errors (``ladder.exceptions``)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from ladder import rules
from ladder.exceptions import Conflict, FieldErrors
from ladder.models import Level, TitleAlias

# Uniqueness against what is stored, not a fault of the input's form: 409 instead of 400.
CONFLICT_CODES = frozenset({"slug_taken"})


def errors_of(exc: DjangoValidationError, prefix: str = "") -> list[dict]:
    """Django's ``ValidationError`` as rule-book error items (``field`` prefixed, ``None`` for the row)."""
    items = []
    for name, problems in exc.update_error_dict({}).items():
        field = None if name == NON_FIELD_ERRORS else f"{prefix}{name}"
        for problem in problems:
            text = problem.message % problem.params if problem.params else problem.message
            items.append({"code": problem.code or "invalid", "message": str(text), "field": field})
    return items


def raise_errors(errors: list[dict]) -> None:
    if not errors:
        return
    conflicts = [e for e in errors if e["code"] in CONFLICT_CODES]
    if conflicts:
        raise Conflict("conflict", "The change conflicts with data already stored.", errors=conflicts)
    raise FieldErrors(errors)


def full_clean(obj: models.Model, *, prefix: str = "", **kwargs) -> None:
    """``obj.full_clean(**kwargs)``, failing with the domain's errors."""
    try:
        obj.full_clean(**kwargs)
    except DjangoValidationError as exc:
        raise_errors(errors_of(exc, prefix))


def sibling_levels(level: Level) -> list[Level]:
    """The other stored levels of ``level``'s ladder (active or not), with their reference levels."""
    if level.ladder_id is None:
        return []
    return list(Level.objects.select_related("reference_level").filter(ladder_id=level.ladder_id).exclude(pk=level.pk))


def level_check(level: Level, siblings: list[Level] | None = None) -> None:
    """The rule book's rules for one (normalised) level among the stored rows of its ladder
    (``siblings``: those rows, when the caller has read them already)."""
    if level.ladder_id is None:
        return  # a new ladder: nothing stored to clash with
    if siblings is None:
        siblings = sibling_levels(level)
    aliases = TitleAlias.objects.filter(ladder_id=level.ladder_id, valid_to__isnull=True)
    raise_errors(rules.level_errors(level, siblings, aliases))


def alias_check(alias: TitleAlias) -> None:
    """The rule book's rules for one (normalised) alias among the stored rows of its ladder."""
    if alias.valid_to is not None or not alias.title_normalized or alias.ladder_id is None:
        return
    levels = Level.objects.filter(ladder_id=alias.ladder_id)
    others = TitleAlias.objects.filter(
        ladder_id=alias.ladder_id, title_normalized=alias.title_normalized, valid_to__isnull=True
    ).exclude(pk=alias.pk)
    raise_errors(rules.alias_errors(alias, levels, others))

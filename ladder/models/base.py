"""What every table shares: creation and change times, and one-UPDATE version bumps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Now

from ladder import directory, rules


def bump_versions(queryset) -> int:
    """Mark rows changed in one UPDATE: a new ``version`` (ETags, cache keys) and ``updated_at`` (sync)."""
    directory.changed()  # the per-process lookups hold versions, and an UPDATE sends no signal
    return queryset.update(version=F("version") + 1, updated_at=Now())


class TimestampedModel(models.Model):
    """Adds creation and last-change times to every table."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    # Rule-book codes that a multi-column constraint reports for the whole row, and the field each
    # concerns (so that the answer names the field the client sent).
    RULE_FIELDS: dict[str, str] = {}

    def validate_constraints(self, exclude=None) -> None:
        # A title that clean() refused also skips the constraints on its normalised form, so that the
        # answer names the problem once, on the field the client sent.
        exclude = set(exclude or ())
        if "title" in exclude:
            exclude.add("title_normalized")
        if "code" in exclude:
            exclude.add("code_canonical")  # the same, for a code and its canonical form
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(rules.django_errors(exc, self, self.RULE_FIELDS)) from None


def rule_violation(code: str) -> dict[str, str]:
    """A constraint's code and message, from the rule book (``ladder.rules``)."""
    return {"violation_error_code": code, "violation_error_message": rules.constraint_message(code)}


def unique_rule(name: str, code: str, fields: list[str], condition=None) -> models.UniqueConstraint:
    """A unique constraint that answers with the rule book's code and message."""
    return models.UniqueConstraint(fields=fields, condition=condition, name=name, **rule_violation(code))


def check_rule(name: str, code: str, condition) -> models.CheckConstraint:
    """A check constraint that answers with the rule book's code and message."""
    return models.CheckConstraint(condition=condition, name=name, **rule_violation(code))

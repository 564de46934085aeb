"""Single-alias writes: the alias endpoints and the admin's alias forms share these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ladder import audit
from ladder.concurrency import IfMatch, alias_etag
from ladder.models import ChangeRecord, Level, TitleAlias, bump_versions
from ladder.services import checks
from ladder.services.base import ladder_changed
from ladder.services.ladders import locked_row


def alias_validate(alias: TitleAlias) -> None:
    """Every rule for one alias: Django's single-row checks, then the rule book's cross-row rules."""
    alias.normalize_fields()
    checks.full_clean(alias, validate_constraints=False)
    checks.alias_check(alias)


@transaction.atomic
def alias_save(*, alias: TitleAlias, changes: dict[str, Any], if_match: IfMatch = None) -> TitleAlias:
    """Create or update one alias of a level."""
    level = changes.get("level") or alias.level
    creating = alias.pk is None
    ladder, alias, before = locked_row(alias, level.ladder_id, if_match, alias_etag, TitleAlias.objects)
    for name, value in changes.items():
        setattr(alias, name, value)
    alias.ladder = ladder
    alias_validate(alias)
    if not creating and audit.values_of(alias) == before:
        return alias
    if not creating:
        alias.version += 1
    alias.save()
    audit.save_records(
        [
            audit.created(alias)
            if creating
            else audit.change(alias, ChangeRecord.Action.UPDATE, before, audit.values_of(alias))
        ]
    )
    touched = {alias.level_id} | ({before["level_id"]} if before else set())
    bump_versions(Level.objects.filter(pk__in=touched))
    ladder_changed(ladder)
    return alias


@transaction.atomic
def alias_delete(*, alias: TitleAlias, if_match: IfMatch = None) -> None:
    ladder, alias, _ = locked_row(alias, alias.ladder_id, if_match, alias_etag, TitleAlias.objects)
    audit.save_records([audit.deleted(alias)])
    alias.delete()
    bump_versions(Level.objects.filter(pk=alias.level_id))
    ladder_changed(ladder)

"""Single-level writes: the level endpoints and the admin's level forms share these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ladder import audit
from ladder.choices import Anchor
from ladder.concurrency import IfMatch, level_etag
from ladder.models import ChangeRecord, Company, Framework, Ladder, Level
from ladder.services import checks
from ladder.services.anchors import infer_level_anchor
from ladder.services.base import ladder_changed
from ladder.services.ladders import ladder_for_write, locked_row


def level_prepare(ladder: Ladder, level: Level, changes: dict[str, Any], siblings: list[Level]) -> None:
    """Apply ``changes`` to ``level`` in memory: rank after the last level when missing, and the anchor
    explicit when one is given, inferred when none is (or when an inferred level's title changes).
    ``siblings``: the ladder's other stored levels (``checks.sibling_levels``)."""
    explicit_anchor = changes.get("reference_level") is not None
    for name, value in changes.items():
        setattr(level, name, value)
    level.ladder = ladder
    if level.rank is None:
        level.rank = max((lv.rank for lv in siblings), default=0) + 1
    if explicit_anchor:
        level.anchor = Anchor.EXPLICIT
    elif level.reference_level_id is None or (level.anchor == Anchor.INFERRED and "title" in changes):
        level.reference_level = infer_level_anchor(ladder, level, siblings)
        level.anchor = Anchor.INFERRED
    level.normalize_fields()


def level_validate(level: Level, siblings: list[Level] | None = None) -> None:
    """Every rule for one level: Django's single-row checks, then the rule book's cross-row rules
    (``siblings``: the ladder's other stored levels, when read already)."""
    checks.full_clean(level, validate_constraints=False)
    checks.level_check(level, siblings)


@transaction.atomic
def level_save(*, level: Level, changes: dict[str, Any], if_match: IfMatch = None) -> Level:
    """Create or update one level, inferring its anchor when none is given."""
    creating = level.pk is None
    rows = Level.objects.select_related("reference_level")
    ladder, level, before = locked_row(level, level.ladder_id, if_match, level_etag, rows)
    siblings = checks.sibling_levels(level)  # read once: for the rank, the inference and the rules
    level_prepare(ladder, level, changes, siblings)
    level_validate(level, siblings)
    if creating:
        level.save()
        audit.save_records([audit.created(level)])
    else:
        after = audit.values_of(level)
        if after == before:
            return level
        level.version += 1
        level.save()
        audit.record(level, ChangeRecord.Action.UPDATE, before, after)
    ladder_changed(ladder)
    return level


@transaction.atomic
def level_create(*, company: Company, framework: Framework, changes: dict[str, Any]) -> Level:
    """Add a level to the company's ladder for ``framework`` (the ladder is created when missing)."""
    records: list[ChangeRecord | None] = []
    ladder, _ = ladder_for_write(company, framework, None, records)
    audit.save_records(records)
    return level_save(level=Level(ladder=ladder), changes=changes)


@transaction.atomic
def level_deactivate(*, level: Level, if_match: IfMatch = None) -> Level:
    """Levels are never deleted: deleting one deactivates it."""
    ladder, level, _ = locked_row(level, level.ladder_id, if_match, level_etag, Level.objects)
    if level.is_active:
        level.is_active = False
        level.version += 1
        level.save(update_fields=["is_active", "version", "updated_at"])
        audit.record(level, ChangeRecord.Action.UPDATE, {"is_active": True}, {"is_active": False})
        ladder_changed(ladder)
    return level

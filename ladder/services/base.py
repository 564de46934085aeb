"""What every write path shares: locks, version bumps, the archive flag and the placeholder swap.

Lock order: every write takes its row locks in one order, so that two writes never wait on each
other in a cycle (a deadlock): first the company row, then the ladder row, then level and alias
rows. A write that starts from a ladder, a level or an alias (``ladders.lock_ladder``) still locks
the company first. Writes that touch several companies or ladders lock them in id order
(docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from ladder import audit, versions
from ladder.concurrency import check_if_match
from ladder.models import ChangeRecord, Company, Ladder, bump_versions


def lock_company(company_id: int) -> None:
    list(Company.objects.select_for_update().filter(pk=company_id).values_list("pk", flat=True))


def locked_ladder(company_id: int, **lookup) -> Ladder | None:
    """Lock the company row, then the ladder ``lookup`` names (the one lock order), or ``None``.

    ``FOR UPDATE OF`` the ladder only: its company and framework are joined to be read, not locked,
    so that a write never holds the framework row every tenant's translation reads.
    """
    lock_company(company_id)
    ladders = Ladder.objects.select_for_update(of=("self",)).select_related("company", "framework")
    return ladders.filter(**lookup).first()


def ladder_changed(ladder: Ladder) -> None:
    """Record that the ladder changed (one UPDATE, safe against concurrent bumps), and keep the ladder
    as it now stands as a new immutable version (``ladder.versions``)."""
    bump_versions(Ladder.objects.filter(pk=ladder.pk))
    ladder.refresh_from_db(fields=["version", "updated_at"])
    versions.record_version(ladder)


def bulk_update_parked(
    model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str], parked: Sequence[str]
) -> None:
    """``bulk_update`` that first parks the ``parked`` (uniquely indexed) fields on placeholders.

    Values swapped between rows of one write (two levels exchanging codes, two aliases exchanging
    titles) would otherwise trip the unique index half-way through the update.
    """
    if not parked:
        model.objects.bulk_update(rows, sorted(set(fields)))
        return
    finals = {row.pk: [getattr(row, name) for name in parked] for row in rows}
    for row in rows:
        for name in parked:
            setattr(row, name, f"~{row.pk}")
    model.objects.bulk_update(rows, list(parked))
    for row in rows:
        for name, value in zip(parked, finals[row.pk], strict=True):
            setattr(row, name, value)
    model.objects.bulk_update(rows, sorted(set(fields) | set(parked)))


def stored_row(obj, if_match, etag, queryset) -> tuple[Any, dict | None]:
    """The row a write starts from, read fresh under its lock, and its values before the write; a new
    row passes ``If-Match`` only when there is none. ``(obj, None)`` for a new row."""
    if obj.pk is None:
        check_if_match(None, if_match)
        return obj, None
    row = queryset.get(pk=obj.pk)
    check_if_match(etag(row), if_match)
    return row, audit.values_of(row)


def set_archived(obj: Company | Ladder, *, archived: bool) -> ChangeRecord | None:
    """Archive or restore a locked company or ladder (a new version, and a history record).

    Nothing happens when it is already in that state, so a repeated or concurrent delete records
    one archive, not two.
    """
    if (obj.archived_at is not None) == archived:
        return None
    before = audit.values_of(obj)
    obj.archived_at = timezone.now() if archived else None
    obj.version += 1
    obj.save(update_fields=["archived_at", "version", "updated_at"])
    if isinstance(obj, Ladder):
        # The company's representation lists its ladders.
        bump_versions(Company.objects.filter(pk=obj.company_id))
    action = ChangeRecord.Action.ARCHIVE if archived else ChangeRecord.Action.RESTORE
    return audit.change(obj, action, before, audit.values_of(obj))

"""Locks, version bumps and the placeholder swap: what every write path shares.

Lock order: every write takes its row locks in one order, so that two writes never wait on each
other in a cycle (a deadlock): first the company row, then the ladder row, then level and alias
rows. A write that starts from a ladder, a level or an alias (``lock_ladder``) still locks the
company first. Writes that touch several companies or ladders lock them in id order
(docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from ladder import audit, versions
from ladder.concurrency import check_if_match
from ladder.models import Company, Ladder, Level, TitleAlias, bump_versions


def lock_company(company_id: int) -> None:
    list(Company.objects.select_for_update().filter(pk=company_id).values_list("pk", flat=True))


def lock_ladder(ladder_id: int) -> Ladder:
    """Lock the ladder for a write, after its company (the lock order); a scheduled version whose
    day has come is applied first."""
    company_id, next_on = Ladder.objects.filter(pk=ladder_id).values_list("company_id", "next_effective_on").get()
    lock_company(company_id)
    ladder = Ladder.objects.select_for_update(of=("self",)).select_related("company", "framework").get(pk=ladder_id)
    if versions.is_due(next_on):
        versions.apply_due(ladder)
    return ladder


def lock_for_write(obj: Company | Ladder | Level | TitleAlias) -> None:
    """Take the locks that a write of ``obj`` needs, in the one order (company, then ladder)."""
    if isinstance(obj, Company):
        if obj.pk is not None:
            lock_company(obj.pk)
        return
    if isinstance(obj, Ladder):
        ladder_id = obj.pk
    elif isinstance(obj, TitleAlias):
        ladder_id = obj.ladder_id or (obj.level.ladder_id if obj.level_id else None)
    elif isinstance(obj, Level):
        ladder_id = obj.ladder_id
    else:
        return  # frameworks and their rungs: no tenant rows to lock
    if ladder_id is not None:
        lock_ladder(ladder_id)


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

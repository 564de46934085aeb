"""Archiving (soft delete) of companies and ladders, and restoring them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ladder import audit
from ladder.concurrency import IfMatch, check_if_match, company_etag, ladder_etag
from ladder.models import ChangeRecord, Company, Ladder, bump_versions
from ladder.services.locking import lock_ladder


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


@transaction.atomic
def ladder_archive(*, ladder: Ladder, if_match: IfMatch = None) -> None:
    """Deleting a ladder through the API archives it: hidden, with every level and alias kept."""
    ladder = lock_ladder(ladder.pk)
    check_if_match(ladder_etag(ladder), if_match)
    audit.save_records([set_archived(ladder, archived=True)])


@transaction.atomic
def ladder_restore(*, ladder: Ladder) -> Ladder:
    ladder = lock_ladder(ladder.pk)
    audit.save_records([set_archived(ladder, archived=False)])
    return ladder


@transaction.atomic
def company_archive(*, company: Company, if_match: IfMatch = None) -> None:
    """Deleting a company through the API archives it with its ladders; an admin can restore it."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    check_if_match(company_etag(locked), if_match)
    audit.save_records([set_archived(locked, archived=True)])


@transaction.atomic
def company_restore(*, company: Company) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    audit.save_records([set_archived(locked, archived=False)])
    return locked

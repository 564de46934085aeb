"""A company's ladder for a write: locked in the one order (company, then ladder) with any due
scheduled version applied first, or created for a framework."""

from __future__ import annotations

from django.db import transaction

from ladder import audit, versions
from ladder.concurrency import IfMatch, check_if_match, ladder_etag
from ladder.models import ChangeRecord, Company, Framework, Ladder, bump_versions
from ladder.services.base import locked_ladder, set_archived, stored_row
from ladder.services.due import apply_due, is_due, lock_document_ladder


def lock_ladder(ladder_id: int) -> Ladder:
    """Lock the ladder for a write, after its company (the lock order); a scheduled version whose
    day has come is applied first."""
    company_id = Ladder.objects.filter(pk=ladder_id).values_list("company_id", flat=True).get()
    ladder = locked_ladder(company_id, pk=ladder_id)
    if ladder is None:
        raise Ladder.DoesNotExist
    if is_due(ladder.next_effective_on):
        apply_due(ladder)
    return ladder


def locked_row(obj, ladder_id: int, if_match, etag, queryset):
    """Lock the ladder (``lock_ladder``), then read ``obj`` fresh under that lock and check ``If-Match``
    (``base.stored_row``): the ladder, the row (joined to the locked ladder) and its values before."""
    ladder = lock_ladder(ladder_id)
    row, before = stored_row(obj, if_match, etag, queryset)
    row.ladder = ladder
    return ladder, row, before


def ladder_for_write(
    company: Company, framework: Framework, if_match: IfMatch, records: list[ChangeRecord | None]
) -> tuple[Ladder, bool]:
    """The company's ladder for ``framework``, locked for this transaction: created when missing,
    restored when archived. Returns it and whether it was created.

    The company row is locked first, so two first writes of the same ladder queue up instead of one
    of them failing on the unique index; a missing row could not be locked.
    """
    ladder = lock_document_ladder(company, framework)  # with any due scheduled version applied
    if ladder is None:
        check_if_match(None, if_match)
        ladder = Ladder.objects.create(company=company, framework=framework)
        records.append(audit.created(ladder))
        bump_versions(Company.objects.filter(pk=company.pk))
        return ladder, True
    check_if_match(ladder_etag(ladder), if_match)
    records.append(set_archived(ladder, archived=False))
    return ladder, False


@transaction.atomic
def ladder_create(*, company: Company, framework: Framework) -> Ladder:
    """The company's (empty) ladder for ``framework``: created, or restored when archived."""
    records: list[ChangeRecord | None] = []
    ladder, created = ladder_for_write(company, framework, None, records)
    audit.save_records(records)
    if created:
        versions.record_version(ladder)
    return ladder

"""Creating a company's ladder for a framework (or finding it, locked, for a write)."""

from __future__ import annotations

from django.db import transaction

from ladder import audit, versions
from ladder.concurrency import IfMatch, check_if_match, ladder_etag
from ladder.models import ChangeRecord, Company, Framework, Ladder, bump_versions
from ladder.services.archive import set_archived
from ladder.services.locking import lock_company


def ladder_for_write(
    company: Company, framework: Framework, if_match: IfMatch, records: list[ChangeRecord | None]
) -> tuple[Ladder, bool]:
    """The company's ladder for ``framework``, locked for this transaction: created when missing,
    restored when archived. Returns it and whether it was created.

    The company row is locked first, so two first writes of the same ladder queue up instead of one
    of them failing on the unique index; a missing row could not be locked.
    """
    lock_company(company.pk)
    ladder = Ladder.objects.select_for_update().filter(company=company, framework=framework).first()
    if ladder is None:
        check_if_match(None, if_match)
        ladder = Ladder.objects.create(company=company, framework=framework)
        records.append(audit.created(ladder))
        bump_versions(Company.objects.filter(pk=company.pk))
        return ladder, True
    versions.apply_due(ladder)  # a scheduled version whose day has come is the ladder being changed
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

"""Archiving (soft delete) of companies and ladders, and restoring them."""

from __future__ import annotations

from django.db import transaction

from ladder import audit
from ladder.concurrency import IfMatch, check_if_match, company_etag, ladder_etag
from ladder.models import Company, Ladder
from ladder.services.base import set_archived
from ladder.services.ladders import lock_ladder


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

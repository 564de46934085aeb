"""Company writes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ladder import audit
from ladder.concurrency import IfMatch, check_if_match, company_etag
from ladder.models import ChangeRecord, Company
from ladder.services import checks


@transaction.atomic
def company_create(*, organization_id: int, values: dict[str, Any]) -> Company:
    company = Company(organization_id=organization_id, **values)
    checks.full_clean(company)
    company.save()
    audit.save_records([audit.created(company)])
    return company


@transaction.atomic
def company_update(*, company: Company, values: dict[str, Any], if_match: IfMatch = None) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    check_if_match(company_etag(locked), if_match)
    before = audit.values_of(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    checks.full_clean(locked)
    after = audit.values_of(locked)
    if after != before:
        locked.version += 1
        locked.save()
        audit.record(locked, ChangeRecord.Action.UPDATE, before, after)
    return locked

"""Applying scheduled versions whose day has come: under the ladder's lock, as a whole-document
write made by the version's author, with no job (the first write or read on or after the day)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ladder import audit
from ladder.exceptions import FieldErrors
from ladder.models import Company, Ladder, LadderVersion
from ladder.services.base import locked_ladder
from ladder.services.document_write import write_document
from ladder.services.inputs import level_inputs
from ladder.versions.record import applying_version, author_of, record_version, today, version_record
from ladder.versions.states import ordered


def is_due(next_effective_on: date | None) -> bool:
    return next_effective_on is not None and next_effective_on <= today()


def refresh_next_effective(ladder: Ladder) -> None:
    nxt = (
        LadderVersion.objects.filter(ladder_id=ladder.pk, status=LadderVersion.Status.SCHEDULED)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    ladder.next_effective_on = nxt
    Ladder.objects.filter(pk=ladder.pk).update(next_effective_on=nxt)


def lock_document_ladder(company: Company, framework) -> Ladder | None:
    """Lock the company, then its ladder for ``framework`` (the order every write path keeps)."""
    ladder = locked_ladder(company.pk, company=company, framework=framework)
    if ladder is not None:
        apply_due(ladder)
    return ladder


def apply_due(ladder: Ladder) -> bool:
    """Apply the scheduled versions whose day has come (the ladder is locked by the caller)."""
    if applying_version.get() is not None or ladder.next_effective_on is None or ladder.next_effective_on > today():
        return False
    due = LadderVersion.objects.filter(
        ladder=ladder, status=LadderVersion.Status.SCHEDULED, effective_from__lte=today()
    ).order_by("effective_from", "number")
    for version in due:
        token = applying_version.set(version)
        try:
            with audit.acting(author_of(version)):
                _apply(ladder, version)
        finally:
            applying_version.reset(token)
    ladder.refresh_from_db(fields=["version", "updated_at", "archived_at"])
    refresh_next_effective(ladder)
    return True


def _apply(ladder: Ladder, version: LadderVersion) -> None:
    """One due version as a whole-document PUT; a document the ladder no longer accepts fails."""
    try:
        with transaction.atomic():
            levels = level_inputs(ordered(version.document or []), ladder.framework)
            write_document(ladder, ladder.framework, levels, created=False, records=[])
            if version.status == LadderVersion.Status.SCHEDULED:  # the document changed nothing
                fresh = Ladder.objects.get(pk=ladder.pk)
                record_version(fresh, applying=version)
    except FieldErrors as err:
        version.status = LadderVersion.Status.FAILED
        version.problems = err.errors
        version.save(update_fields=["status", "problems"])
        version_record(ladder, version)


def apply_due_for(ladder_ids: list[int]) -> None:
    """Apply due scheduled versions of these ladders from a read (each in its own transaction)."""
    for ladder_id in ladder_ids:
        with transaction.atomic():
            company_id = Ladder.objects.filter(pk=ladder_id).values_list("company_id", flat=True).first()
            ladder = locked_ladder(company_id, pk=ladder_id) if company_id is not None else None
            if ladder is not None:
                apply_due(ladder)

"""Scheduled versions: a whole-document PUT kept for a future day, previews and dry runs (see
``ladder.versions``); ``due`` applies them when their day comes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ladder.exceptions import FieldErrors, PreconditionFailed
from ladder.models import Company, Ladder, LadderVersion
from ladder.services.documents import ladder_document_put
from ladder.services.due import lock_document_ladder, refresh_next_effective
from ladder.versions.diff import diff_states
from ladder.versions.record import author_fields, current_states, today, version_record
from ladder.versions.states import ordered


def scheduled_etag(version: LadderVersion) -> str:
    return f'"ladder-{version.ladder_id}-scheduled-{version.number}-r{version.revision}"'


class _Rollback(Exception):
    pass


def preview_document(*, company: Company, framework, levels, if_match=None) -> dict[str, Any]:
    """Run a whole-document PUT inside a savepoint and roll it back: what the ladder would become.

    Returns ``before`` and ``after`` (lists of level states; levels the PUT would create have
    ``"id": null``), ``changed`` and ``created``. Validation errors and ``If-Match`` failures are raised
    as the real PUT raises them. The caller holds the company and ladder locks (taken before the
    savepoint, so they outlive it).
    """
    existing = Ladder.objects.filter(company=company, framework=framework).first()
    before = current_states(existing.pk) if existing is not None else {}
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            written = ladder_document_put(company=company, framework=framework, levels=levels, if_match=if_match)
            after = current_states(written.ladder.pk)
            result = {
                "before": list(before.values()),
                "after": [state if pk in before else {**state, "id": None} for pk, state in after.items()],
                "changed": written.changed,
                "created": written.created,
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


@transaction.atomic
def dry_run(*, company: Company, framework, levels, if_match=None) -> dict[str, Any]:
    """What a whole-document PUT would change (``changed``, ``created``, ``diff``), writing nothing."""
    lock_document_ladder(company, framework)
    preview = preview_document(company=company, framework=framework, levels=levels, if_match=if_match)
    return {
        "changed": preview["changed"],
        "created": preview["created"],
        "diff": diff_states(preview["before"], preview["after"]),
    }


@transaction.atomic
def schedule_document(
    *, company: Company, framework, levels, effective_from: date, if_match=None, replacing: int | None = None
) -> LadderVersion:
    """Keep a whole-document PUT as a version that takes effect on ``effective_from`` (a future day).

    One scheduled version per day: scheduling another for the same day replaces it. ``if_match`` is
    checked against the ladder's current ETag, or, with ``replacing`` (a scheduled version's number),
    against that version's ETag.
    """
    if effective_from <= today():
        raise FieldErrors(
            [{"code": "not_future", "message": "effective_from must be a future day.", "field": "effective_from"}]
        )
    ladder = lock_document_ladder(company, framework)
    if ladder is None or ladder.archived_at is not None:
        raise FieldErrors(
            [
                {
                    "code": "no_ladder",
                    "message": "Only an existing ladder can have scheduled versions; PUT it without "
                    "effective_from first.",
                    "field": "effective_from",
                }
            ]
        )
    target = None
    if replacing is not None:
        target = LadderVersion.objects.filter(ladder=ladder, number=replacing).first()
        _check_scheduled(target, if_match)
        if_match = None
    preview = preview_document(company=company, framework=framework, levels=levels, if_match=if_match)
    document = ordered(preview["after"])
    same_day = (
        LadderVersion.objects.filter(
            ladder=ladder, status=LadderVersion.Status.SCHEDULED, effective_from=effective_from
        )
        .exclude(pk=target.pk if target else None)
        .first()
    )
    if target is not None and same_day is not None:
        raise FieldErrors(
            [
                {
                    "code": "day_taken",
                    "message": f"Version {same_day.number} is already scheduled for {effective_from}.",
                    "field": "effective_from",
                }
            ]
        )
    target = target or same_day
    fields = {"effective_from": effective_from, "document": document, **author_fields()}
    if target is None:
        number = (LadderVersion.objects.filter(ladder=ladder).aggregate(n=Max("number"))["n"] or 0) + 1
        target = LadderVersion.objects.create(
            ladder=ladder, number=number, status=LadderVersion.Status.SCHEDULED, **fields
        )
    else:
        for name, value in fields.items():
            setattr(target, name, value)
        target.revision += 1
        target.created_at = timezone.now()
        target.save()
    refresh_next_effective(ladder)
    version_record(ladder, target)
    return target


def _check_scheduled(version: LadderVersion | None, if_match) -> None:
    if version is None:
        raise LookupError
    if version.status != LadderVersion.Status.SCHEDULED:
        raise FieldErrors(
            [
                {
                    "code": "not_scheduled",
                    "message": f"Version {version.number} is {version.status}; only a scheduled version can change.",
                    "field": None,
                }
            ]
        )
    if if_match is not None and "*" not in if_match and scheduled_etag(version) not in if_match:
        raise PreconditionFailed(scheduled_etag(version))


@transaction.atomic
def cancel_scheduled(*, company: Company, framework, number: int, if_match=None) -> LadderVersion:
    ladder = lock_document_ladder(company, framework)
    if ladder is None:
        raise LookupError
    version = LadderVersion.objects.filter(ladder=ladder, number=number).first()
    _check_scheduled(version, if_match)
    version.status = LadderVersion.Status.CANCELLED
    version.revision += 1
    version.save(update_fields=["status", "revision"])
    refresh_next_effective(ladder)
    version_record(ladder, version)
    return version

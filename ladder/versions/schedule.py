"""Scheduled versions: a whole-document PUT kept for a future day, previews and dry runs, and applying
what is due (see the package's docstring).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ladder import audit
from ladder.exceptions import FieldErrors, PreconditionFailed
from ladder.level_fields import WRITABLE_LEVEL_FIELDS
from ladder.models import Company, Ladder, LadderVersion
from ladder.versions.diff import diff_states
from ladder.versions.record import (
    applying_version,
    author_fields,
    author_of,
    current_states,
    record_version,
    today,
    version_record,
)
from ladder.versions.states import alias_input, ordered


def scheduled_etag(version: LadderVersion) -> str:
    return f'"ladder-{version.ladder_id}-scheduled-{version.number}-r{version.revision}"'


def _refresh_next_effective(ladder: Ladder) -> None:
    nxt = (
        LadderVersion.objects.filter(ladder_id=ladder.pk, status=LadderVersion.Status.SCHEDULED)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    ladder.next_effective_on = nxt
    Ladder.objects.filter(pk=ladder.pk).update(next_effective_on=nxt)


class _Rollback(Exception):
    pass


def preview_document(*, company: Company, framework, levels, if_match=None) -> dict[str, Any]:
    """Run a whole-document PUT inside a savepoint and roll it back: what the ladder would become.

    Returns ``before`` and ``after`` (lists of level states; levels the PUT would create have
    ``"id": null``), ``changed`` and ``created``. Validation errors and ``If-Match`` failures are raised
    as the real PUT raises them. The caller holds the company and ladder locks (taken before the
    savepoint, so they outlive it).
    """
    from ladder import services

    existing = Ladder.objects.filter(company=company, framework=framework).first()
    before = current_states(existing.pk) if existing is not None else {}
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            written = services.ladder_document_put(
                company=company, framework=framework, levels=levels, if_match=if_match
            )
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
    lock_for_write(company, framework)
    preview = preview_document(company=company, framework=framework, levels=levels, if_match=if_match)
    return {
        "changed": preview["changed"],
        "created": preview["created"],
        "diff": diff_states(preview["before"], preview["after"]),
    }


def lock_for_write(company: Company, framework) -> Ladder | None:
    """Lock the company, then its ladder for ``framework`` (the order every write path keeps)."""
    list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk", flat=True))
    ladder = (
        Ladder.objects.select_for_update()
        .select_related("company", "framework")
        .filter(company=company, framework=framework)
        .first()
    )
    if ladder is not None:
        apply_due(ladder)
    return ladder


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
    ladder = lock_for_write(company, framework)
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
    _refresh_next_effective(ladder)
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
    ladder = lock_for_write(company, framework)
    if ladder is None:
        raise LookupError
    version = LadderVersion.objects.filter(ladder=ladder, number=number).first()
    _check_scheduled(version, if_match)
    version.status = LadderVersion.Status.CANCELLED
    version.revision += 1
    version.save(update_fields=["status", "revision"])
    _refresh_next_effective(ladder)
    version_record(ladder, version)
    return version


def _level_inputs(states: list[dict[str, Any]], framework):
    """A scheduled version's levels as the input of a whole-document PUT."""
    from ladder.services import LevelInput

    by_slug = {rl.slug: rl for rl in framework.reference_levels.all()}
    inputs = []
    for s in states:
        values = {name: s[name] for name in WRITABLE_LEVEL_FIELDS}
        explicit = s["anchor"] == "explicit" and s["reference_level"] in by_slug
        values["reference_level"] = by_slug[s["reference_level"]] if explicit else None
        inputs.append(LevelInput(**values, aliases=[alias_input(a) for a in s["aliases"]]))
    return inputs


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
    _refresh_next_effective(ladder)
    return True


def _apply(ladder: Ladder, version: LadderVersion) -> None:
    """One due version as a whole-document PUT; a document the ladder no longer accepts fails."""
    from ladder import services

    try:
        with transaction.atomic():
            services.ladder_document_put(
                company=ladder.company,
                framework=ladder.framework,
                levels=_level_inputs(ordered(version.document or []), ladder.framework),
            )
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
            list(Company.objects.select_for_update().filter(pk=company_id).values_list("pk", flat=True))
            ladder = Ladder.objects.select_for_update().select_related("company", "framework").get(pk=ladder_id)
            apply_due(ladder)


def is_due(next_effective_on: date | None) -> bool:
    return next_effective_on is not None and next_effective_on <= today()

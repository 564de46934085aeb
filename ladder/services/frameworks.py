"""Framework writes: the shared reference scale, changed by platform operators only.

A rung (reference level) that moves on the scale moves every company level anchored to it without a
span of its own: those ladders get a new version and a history entry naming the move, whichever path
changed the rung (API, admin or a command).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ladder import audit, rules
from ladder.exceptions import FieldErrors
from ladder.models import (
    ChangeRecord,
    Company,
    Competency,
    ExpectedProficiency,
    Framework,
    Ladder,
    Level,
    ReferenceLevel,
    bump_versions,
)
from ladder.services import checks


def _touch(framework_id: int) -> None:
    # Snapshots of the framework are cached by its ``updated_at``: a changed rung must renew it.
    Framework.objects.filter(pk=framework_id).update(updated_at=timezone.now())


def _save_rung(rl: ReferenceLevel, before: dict[str, Any] | None) -> None:
    """Save a rung whose stored values were ``before`` (``None``: a new one); a rung that moved on the
    scale moves the ladders anchored to it."""
    rl.save()
    _touch(rl.framework_id)
    previous = (before["position"], before["track"]) if before is not None else None
    if previous is not None and previous != (rl.position, rl.track):
        reference_level_moved(rl, previous)


@transaction.atomic
def reference_level_save(*, reference_level: ReferenceLevel) -> ReferenceLevel:
    """Save one rung (the admin's rung forms), with its history and the move of anchored ladders."""
    before = None
    if reference_level.pk is not None:
        stored = ReferenceLevel.objects.filter(pk=reference_level.pk).first()
        before = audit.values_of(stored) if stored is not None else None
    checks.full_clean(reference_level)
    _save_rung(reference_level, before)
    after = audit.values_of(reference_level)
    record = (
        audit.created(reference_level)
        if before is None
        else audit.change(reference_level, ChangeRecord.Action.UPDATE, before, after)
    )
    audit.save_records([record])
    return reference_level


def _delete_unused(obj: Framework | ReferenceLevel, used: bool, item: str) -> None:
    if used:
        raise FieldErrors([rules.error("in_use", None, item=item)])
    audit.save_records([audit.deleted(obj)])
    obj.delete()


@transaction.atomic
def reference_level_links_save(
    *,
    reference_level: ReferenceLevel,
    promotes_to: list[ReferenceLevel] | None = None,
    proficiencies=None,
    record: bool = True,
) -> None:
    """Set a rung's promotions and, given ``{competency: level}``, its expected proficiencies.

    ``record=False`` for a rung created in the same load, whose creation is its history.
    """
    before = audit.values_of(reference_level)
    if promotes_to is not None:
        reference_level.promotes_to.set(promotes_to)
    for competency, proficiency in (proficiencies or {}).items():
        ExpectedProficiency.objects.update_or_create(
            reference_level=reference_level, competency=competency, defaults={"proficiency": proficiency}
        )
    _touch(reference_level.framework_id)
    if record:
        after = audit.values_of(reference_level)
        audit.save_records([audit.change(reference_level, ChangeRecord.Action.UPDATE, before, after)])


@transaction.atomic
def competency_save(*, competency: Competency, values: dict[str, Any]) -> Competency:
    """Create or change a competency of a framework (competencies are not versioned). The framework's
    representation lists its rungs' competencies by name, so it counts as changed, as on a delete."""
    for name, value in values.items():
        setattr(competency, name, value)
    checks.full_clean(competency)
    competency.save()
    _touch(competency.framework_id)
    return competency


@transaction.atomic
def competency_delete(*, competency: Competency) -> None:
    """Remove a competency with its expected proficiencies."""
    framework_id = competency.framework_id
    competency.delete()
    _touch(framework_id)


@transaction.atomic
def reference_level_delete(*, reference_level: ReferenceLevel) -> None:
    framework_id = reference_level.framework_id
    used = reference_level.levels.exists()
    _delete_unused(reference_level, used, f'Reference level "{reference_level.slug}"')
    _touch(framework_id)


@transaction.atomic
def framework_save(
    *, framework: Framework, values: dict[str, Any], reference_levels: list[dict[str, Any]] | None
) -> Framework:
    """Create or update a framework; reference levels, when given, are matched by slug.

    A reference level that a company level anchors to cannot be removed (400 naming it).
    """
    creating = framework.pk is None
    before = None if creating else audit.values_of(Framework.objects.get(pk=framework.pk))
    for name, value in values.items():
        setattr(framework, name, value)
    framework.full_clean()
    framework.save()
    records: list[ChangeRecord | None] = [
        audit.created(framework)
        if creating
        else audit.change(framework, ChangeRecord.Action.UPDATE, before, audit.values_of(framework))
    ]
    if reference_levels is not None:
        records.extend(_save_reference_levels(framework, reference_levels))
    audit.save_records(records)
    return framework


def reference_level_moved(reference_level: ReferenceLevel, previous: tuple[int, str]) -> None:
    """A reference level moved on the scale (``previous`` is its old position and track): every ladder
    with a level anchored to it gets a new version and a history entry naming the move.

    Locks follow the one order of every write path: companies, then ladders (each by id).
    """
    ladder_ids = Level.objects.filter(reference_level=reference_level).values("ladder_id")
    company_ids = Ladder.objects.filter(pk__in=ladder_ids).values("company_id")
    list(Company.objects.select_for_update().filter(pk__in=company_ids).order_by("pk").values_list("pk", flat=True))
    ladders = list(Ladder.objects.select_for_update().filter(pk__in=ladder_ids).order_by("pk"))
    if not ladders:
        return
    bump_versions(Ladder.objects.filter(pk__in=[ladder.pk for ladder in ladders]))
    old_position, old_track = previous
    moved = f"reference_level:{reference_level.slug}"
    records = []
    for ladder in ladders:
        before = {"version": ladder.version, moved: {"position": old_position, "track": old_track}}
        after = {
            "version": ladder.version + 1,
            moved: {"position": reference_level.position, "track": reference_level.track},
        }
        records.append(audit.change(ladder, ChangeRecord.Action.UPDATE, before, after))
    audit.save_records(records)


def _save_reference_levels(framework: Framework, reference_levels: list[dict[str, Any]]) -> list:
    records: list[ChangeRecord | None] = []
    existing = {rl.slug: rl for rl in framework.reference_levels.all()}
    wanted = {item["slug"] for item in reference_levels}
    removed = [rl for slug, rl in existing.items() if slug not in wanted]
    errors = [
        rules.error("in_use", "reference_levels", item=f'Reference level "{rl.slug}"')
        for rl in removed
        if rl.levels.exists()
    ]
    if errors:
        raise FieldErrors(errors)
    for rl in removed:
        records.append(audit.deleted(rl))
        rl.delete()
    if removed:
        _touch(framework.pk)
    saved: dict[str, ReferenceLevel] = {}
    befores: dict[str, dict[str, Any] | None] = {}
    for i, item in enumerate(reference_levels):
        data = {k: v for k, v in item.items() if k != "promotes_to"}
        rl = existing.get(item["slug"]) or ReferenceLevel(framework=framework)
        befores[item["slug"]] = audit.values_of(rl) if rl.pk else None
        for name, value in data.items():
            setattr(rl, name, value)
        checks.full_clean(rl, prefix=f"reference_levels[{i}].", exclude=["framework"])
        _save_rung(rl, befores[item["slug"]])
        saved[rl.slug] = rl
    for item in reference_levels:
        if "promotes_to" in item:
            saved[item["slug"]].promotes_to.set([saved[s] for s in item["promotes_to"]])
    for slug, rl in saved.items():  # after promotes_to is set, so the history shows branch changes too
        before = befores[slug]
        after = audit.values_of(rl)
        records.append(
            audit.created(rl) if before is None else audit.change(rl, ChangeRecord.Action.UPDATE, before, after)
        )
    return records


@transaction.atomic
def framework_delete(*, framework: Framework) -> None:
    _delete_unused(framework, framework.ladders.exists(), f'Framework "{framework.slug}"')

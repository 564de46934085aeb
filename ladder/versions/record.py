"""Writing versions: every accepted change keeps the ladder as it now stands as an applied version."""

from __future__ import annotations

import contextvars
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from ladder import audit
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level, LevelRevision, TitleAlias
from ladder.versions.states import level_state

# The scheduled version being applied in this context (its number is kept, no new one is made).
applying_version: contextvars.ContextVar[LadderVersion | None] = contextvars.ContextVar(
    "pmladder_applying", default=None
)


def today() -> date:
    """Days are UTC days."""
    return timezone.now().date()


def current_states(ladder_id: int) -> dict[int, dict[str, Any]]:
    """Every level of the ladder as it stands in the live tables (two queries)."""
    aliases: dict[int, list[TitleAlias]] = defaultdict(list)
    for alias in TitleAlias.objects.filter(ladder_id=ladder_id):
        aliases[alias.level_id].append(alias)
    return {
        level.pk: level_state(level, aliases.get(level.pk, ()))
        for level in Level.objects.filter(ladder_id=ladder_id).select_related("reference_level")
    }


def author_fields() -> dict[str, Any]:
    """Who makes a version (the current actor), as the version keeps it."""
    actor = audit.current_actor()
    return {
        "author": actor.label,
        "actor_user_id": actor.user_id,
        "actor_api_key_id": actor.api_key_id,
        "request_id": actor.request_id,
    }


def author_of(version: LadderVersion) -> audit.Actor:
    """The actor a scheduled version is applied as: its author."""
    return audit.Actor(
        label=version.author,
        user_id=version.actor_user_id,
        api_key_id=version.actor_api_key_id,
        request_id=version.request_id,
    )


def _lock_ladder(ladder_id: int) -> None:
    # Usually held already (services lock company, then ladder); the admin reaches here without it.
    list(Ladder.objects.select_for_update().filter(pk=ladder_id).values_list("pk", flat=True))


def record_version(ladder: Ladder, *, applying: LadderVersion | None = None) -> LadderVersion | None:
    """Keep the ladder as it now stands as a new applied version, when its levels or aliases changed.

    Called inside the write's transaction, after the change and its history were written (through
    ``Ladder.bump_version``). Closes the revisions of the levels that changed, opens new ones, stamps
    this write's history records with the version number and adds a ``version`` record for the feed.
    """
    applying = applying or applying_version.get()
    _lock_ladder(ladder.pk)
    states = current_states(ladder.pk)
    open_rows = {r.level_id: r for r in LevelRevision.objects.filter(ladder_id=ladder.pk, to_seq__isnull=True)}
    changed = [pk for pk, state in states.items() if pk not in open_rows or open_rows[pk].state != state]
    gone = [pk for pk in open_rows if pk not in states]
    last = LadderVersion.objects.filter(ladder_id=ladder.pk).aggregate(number=Max("number"), seq=Max("seq"))
    if not changed and not gone and last["seq"] is not None and applying is None:
        return None
    seq = (last["seq"] or 0) + 1
    if changed or gone:
        LevelRevision.objects.filter(ladder_id=ladder.pk, to_seq__isnull=True, level_id__in=[*changed, *gone]).update(
            to_seq=seq
        )
        LevelRevision.objects.bulk_create(
            [LevelRevision(ladder_id=ladder.pk, level_id=pk, from_seq=seq, state=states[pk]) for pk in changed]
        )
    now = timezone.now()
    if applying is not None:
        version = applying
        version.status = LadderVersion.Status.APPLIED
        version.seq = seq
        version.applied_at = now
        version.ladder_version = ladder.version
        version.document = None  # its levels are revision rows now
        version.save(update_fields=["status", "seq", "applied_at", "ladder_version", "document"])
    else:
        version = LadderVersion.objects.create(
            ladder_id=ladder.pk,
            number=(last["number"] or 0) + 1,
            seq=seq,
            status=LadderVersion.Status.APPLIED,
            effective_from=today(),
            applied_at=now,
            ladder_version=ladder.version,
            **author_fields(),
        )
    ChangeRecord.objects.filter(ladder_id=ladder.pk, ladder_version__isnull=True).filter(
        Q(object_type__in=[ChangeRecord.ObjectType.LEVEL, ChangeRecord.ObjectType.ALIAS])
        | Q(object_type=ChangeRecord.ObjectType.LADDER, action=ChangeRecord.Action.CREATE)
    ).update(ladder_version=version.number)
    version_record(ladder, version)
    return version


def version_record(ladder: Ladder, version: LadderVersion) -> None:
    record = audit.change(
        ladder,
        ChangeRecord.Action.VERSION,
        None,
        {"number": version.number, "status": version.status, "effective_from": version.effective_from.isoformat()},
    )
    record.ladder_version = version.number
    audit.save_records([record])

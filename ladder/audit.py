"""The change history: who changed what, when, in which request, with the values before and after.

Services write history in the same transaction as the change itself, so a change and its record
commit or roll back together. The actor comes from a context variable that the request middleware
and the API-key authentication fill in; work outside a request (commands, fixtures) is recorded as
``system``.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from ladder.level_fields import ALIAS_FIELDS, LEVEL_FIELDS, REFERENCE_LEVEL_FIELDS
from ladder.models import ChangeRecord, Company, Framework, Ladder, Level, ReferenceLevel, TitleAlias


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is making changes in the current context."""

    label: str = "system"
    user_id: int | None = None
    api_key_id: str = ""
    request_id: str = ""


SYSTEM = Actor()
_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("pmladder_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _actor.get()


def begin_request(*, request_id: str, user=None) -> contextvars.Token:
    """Start a request's context (called by the request-id middleware)."""
    actor = Actor(label="anonymous", request_id=request_id)
    if user is not None and getattr(user, "is_authenticated", False):
        actor = Actor(label=f"user:{user.get_username()}", user_id=user.pk, request_id=request_id)
    return _actor.set(actor)


def end_request(token: contextvars.Token) -> None:
    _actor.reset(token)


@contextlib.contextmanager
def acting(actor: Actor):
    """Credit the changes made inside the block to ``actor`` (e.g. a scheduled version's author)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def acting_as(label: str):
    """Credit the changes made inside the block to ``label`` (e.g. a fixture file being loaded)."""
    return acting(Actor(label=label))


def bind_api_key(api_key) -> None:
    """The request was authenticated by an API key: record its name, never the key."""
    # The key's prefix identifies it; its primary key embeds the key's hash, which history never keeps.
    _actor.set(replace(_actor.get(), label=f"api-key:{api_key.name}", api_key_id=api_key.prefix, user_id=None))


# --- Values -----------------------------------------------------------------------------------------

TRACKED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Framework: ("slug", "name", "description"),
    ReferenceLevel: ("slug", *REFERENCE_LEVEL_FIELDS),
    Company: ("slug", "name", "size_band", "is_public", "external_id", "organization_id", "archived_at"),
    Ladder: ("company_id", "framework_id", "version", "archived_at"),
    # The model keeps the reference level by id; catalog levels add where they come from.
    Level: (*(f"{name}_id" if name == "reference_level" else name for name in LEVEL_FIELDS), "provenance"),
    TitleAlias: ("level_id", *ALIAS_FIELDS),
}

OBJECT_TYPES: dict[type[models.Model], str] = {
    Framework: ChangeRecord.ObjectType.FRAMEWORK,
    ReferenceLevel: ChangeRecord.ObjectType.REFERENCE_LEVEL,
    Company: ChangeRecord.ObjectType.COMPANY,
    Ladder: ChangeRecord.ObjectType.LADDER,
    Level: ChangeRecord.ObjectType.LEVEL,
    TitleAlias: ChangeRecord.ObjectType.ALIAS,
}


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def values_of(obj: models.Model) -> dict[str, Any]:
    """The tracked fields of an object as JSON-ready values."""
    values = {name: _plain(getattr(obj, name)) for name in TRACKED_FIELDS[type(obj)]}
    if isinstance(obj, ReferenceLevel):
        values["promotes_to"] = sorted(rl.slug for rl in obj.promotes_to.all()) if obj.pk else []
    return values


def _context_ids(obj: models.Model) -> dict[str, Any]:
    """The company, framework, ladder and level an object belongs to (for scoping the history)."""
    if isinstance(obj, Framework):
        return {"framework_id": obj.pk}
    if isinstance(obj, ReferenceLevel):
        return {"framework_id": obj.framework_id}
    if isinstance(obj, Company):
        return {"company_id": obj.pk}
    if isinstance(obj, Ladder):
        return {"company_id": obj.company_id, "framework_id": obj.framework_id, "ladder_id": obj.pk}
    if isinstance(obj, (Level, TitleAlias)):
        ladder = obj.ladder
        return {
            "company_id": ladder.company_id,
            "framework_id": ladder.framework_id,
            "ladder_id": ladder.pk,
            "level_id": obj.pk if isinstance(obj, Level) else obj.level_id,
        }
    raise TypeError(f"no history for {type(obj).__name__}")


def change(
    obj: models.Model, action: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None
) -> ChangeRecord | None:
    """A history record (unsaved). For an update only the differing fields are kept; none differ: None."""
    if action == ChangeRecord.Action.UPDATE and before is not None and after is not None:
        keys = [k for k in after if before.get(k) != after.get(k)]
        if not keys:
            return None
        before = {k: before.get(k) for k in keys}
        after = {k: after[k] for k in keys}
    actor = current_actor()
    return ChangeRecord(
        action=action,
        object_type=OBJECT_TYPES[type(obj)],
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        actor=actor.label,
        request_id=actor.request_id,
        before=before,
        after=after,
        **_context_ids(obj),
    )


def created(obj: models.Model) -> ChangeRecord:
    return change(obj, ChangeRecord.Action.CREATE, None, values_of(obj))


def deleted(obj: models.Model, before: dict[str, Any] | None = None) -> ChangeRecord:
    return change(obj, ChangeRecord.Action.DELETE, before or values_of(obj), None)


def save_records(records: list[ChangeRecord | None]) -> None:
    """Write the records in one statement (skipping updates that changed nothing)."""
    kept = [r for r in records if r is not None]
    if kept:
        ChangeRecord.objects.bulk_create(kept)
        from ladder.webhooks.outbox import record_events  # the outbox builds on the history

        record_events(kept)


def record(obj: models.Model, action: str, before=None, after=None) -> None:
    save_records([change(obj, action, before, after)])

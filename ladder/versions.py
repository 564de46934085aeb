"""Ladder versions (DESIGN §5): every accepted change keeps the whole ladder as an immutable version.

Storage. A version is one ``LadderVersion`` row; the levels it holds are ``LevelRevision`` rows, each a
level's whole state (fields and aliases) valid over a range of ``seq`` (the order in which versions took
effect): ``from_seq`` ≤ seq < ``to_seq``. A new version closes the rows of the levels it changed and
opens one row per changed level, so storage grows with the size of the changes, not with the ladder
times the versions. The ladder of version *n* is the rows open at its ``seq``: one indexed query.

Scheduled versions. A PUT with a future ``effective_from`` is validated against the ladder as it
stands (inside a savepoint that is rolled back) and kept as a *scheduled* version holding the whole
resulting ladder in ``document``. ``as_of`` reads on or after its day see it at once. It becomes the
current ladder on its day without a job: the first write, or the first read of the ladder document,
a translation or a career path on or after that day applies it (``apply_due``) under the ladder's
lock, as a whole-document PUT made by the version's author. Until then it can be replaced or
cancelled, with ``If-Match`` on its own ETag.

Days are UTC days. A date before a ladder's first version reads the first version: pmladder knows a
ladder from its first version on (existing ladders got a baseline version when versions were added).
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ladder import audit
from ladder.exceptions import FieldErrors, PreconditionFailed
from ladder.models import ChangeRecord, Company, Ladder, LadderVersion, Level, LevelRevision, TitleAlias

# The scheduled version being applied in this context (its number is kept, no new one is made).
_applying: contextvars.ContextVar[LadderVersion | None] = contextvars.ContextVar("pmladder_applying", default=None)

LIVE_STATUSES = (LadderVersion.Status.APPLIED, LadderVersion.Status.SCHEDULED)

LEVEL_FIELDS = (
    "id",
    "title",
    "code",
    "track",
    "rank",
    "reference_level",
    "anchor",
    "scale_from",
    "scale_to",
    "interval",
    "description",
    "external_id",
    "is_active",
)


def today() -> date:
    return timezone.now().date()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def level_state(level, aliases) -> dict[str, Any]:
    """A level's whole state as JSON-ready data (works on historical models in migrations too)."""
    ref = level.reference_level if level.reference_level_id else None
    if level.scale_from is not None and level.scale_to is not None:
        interval = [float(level.scale_from), float(level.scale_to)]
    elif ref is not None:
        interval = [ref.position - 0.5, ref.position + 0.5]
    else:
        interval = None
    return {
        "id": level.pk,
        "title": level.title,
        "code": level.code,
        "track": level.track,
        "rank": level.rank,
        "reference_level": ref.slug if ref is not None else None,
        "anchor": level.anchor,
        "scale_from": level.scale_from,
        "scale_to": level.scale_to,
        "interval": interval,
        "description": level.description,
        "external_id": level.external_id,
        "is_active": level.is_active,
        "aliases": sorted(
            (
                {
                    "title": a.title,
                    "valid_from": _iso(a.valid_from),
                    "valid_to": _iso(a.valid_to),
                    "external_id": a.external_id,
                }
                for a in aliases
            ),
            key=lambda a: (a["title"], a["valid_from"] or "", a["external_id"] or ""),
        ),
    }


def current_states(ladder_id: int) -> dict[int, dict[str, Any]]:
    """Every level of the ladder as it stands in the live tables (two queries)."""
    aliases: dict[int, list[TitleAlias]] = defaultdict(list)
    for alias in TitleAlias.objects.filter(ladder_id=ladder_id):
        aliases[alias.level_id].append(alias)
    return {
        level.pk: level_state(level, aliases.get(level.pk, ()))
        for level in Level.objects.filter(ladder_id=ladder_id).select_related("reference_level")
    }


def ordered(states: dict[int, dict[str, Any]] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Levels in the ladder document's order: rank, then id (new levels of a scheduled version last)."""
    items = list(states.values()) if isinstance(states, dict) else list(states)
    return sorted(items, key=lambda s: (s["rank"], s["id"] is None, s["id"] or 0, s["title"]))


# --- Writing versions -----------------------------------------------------------------------------


def _lock_ladder(ladder_id: int) -> None:
    # Usually held already (services lock company, then ladder); the admin reaches here without it.
    list(Ladder.objects.select_for_update().filter(pk=ladder_id).values_list("pk", flat=True))


def record_version(ladder: Ladder, *, applying: LadderVersion | None = None) -> LadderVersion | None:
    """Keep the ladder as it now stands as a new applied version, when its levels or aliases changed.

    Called inside the write's transaction, after the change and its history were written (through
    ``Ladder.bump_version``). Closes the revisions of the levels that changed, opens new ones, stamps
    this write's history records with the version number and adds a ``version`` record for the feed.
    """
    applying = applying or _applying.get()
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
        actor = audit.current_actor()
        version = LadderVersion.objects.create(
            ladder_id=ladder.pk,
            number=(last["number"] or 0) + 1,
            seq=seq,
            status=LadderVersion.Status.APPLIED,
            effective_from=today(),
            applied_at=now,
            author=actor.label,
            actor_user_id=actor.user_id,
            actor_api_key_id=actor.api_key_id,
            request_id=actor.request_id,
            ladder_version=ladder.version,
        )
    ChangeRecord.objects.filter(ladder_id=ladder.pk, ladder_version__isnull=True).filter(
        Q(object_type__in=[ChangeRecord.ObjectType.LEVEL, ChangeRecord.ObjectType.ALIAS])
        | Q(object_type=ChangeRecord.ObjectType.LADDER, action=ChangeRecord.Action.CREATE)
    ).update(ladder_version=version.number)
    _version_record(ladder, version)
    return version


def _version_record(ladder: Ladder, version: LadderVersion) -> None:
    record = audit.change(
        ladder,
        ChangeRecord.Action.VERSION,
        None,
        {"number": version.number, "status": version.status, "effective_from": version.effective_from.isoformat()},
    )
    record.ladder_version = version.number
    audit.save_records([record])


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
    actor = audit.current_actor()
    fields = {
        "effective_from": effective_from,
        "document": document,
        "author": actor.label,
        "actor_user_id": actor.user_id,
        "actor_api_key_id": actor.api_key_id,
        "request_id": actor.request_id,
    }
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
    _version_record(ladder, target)
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
    _version_record(ladder, version)
    return version


def _inputs_from_states(states: list[dict[str, Any]], framework):
    from ladder.services import AliasInput, LevelInput

    by_slug = {rl.slug: rl for rl in framework.reference_levels.all()}
    inputs = []
    for s in states:
        explicit = s["anchor"] == "explicit" and s["reference_level"] in by_slug
        inputs.append(
            LevelInput(
                title=s["title"],
                code=s["code"],
                track=s["track"],
                rank=s["rank"],
                reference_level=by_slug[s["reference_level"]] if explicit else None,
                scale_from=s["scale_from"],
                scale_to=s["scale_to"],
                description=s["description"],
                external_id=s["external_id"],
                is_active=s["is_active"],
                aliases=[
                    AliasInput(
                        title=a["title"],
                        valid_from=date.fromisoformat(a["valid_from"]) if a["valid_from"] else None,
                        valid_to=date.fromisoformat(a["valid_to"]) if a["valid_to"] else None,
                        external_id=a["external_id"],
                    )
                    for a in s["aliases"]
                ],
            )
        )
    return inputs


def apply_due(ladder: Ladder) -> bool:
    """Apply the scheduled versions whose day has come (the ladder is locked by the caller)."""
    if _applying.get() is not None or ladder.next_effective_on is None or ladder.next_effective_on > today():
        return False
    from ladder import services

    due = LadderVersion.objects.filter(
        ladder=ladder, status=LadderVersion.Status.SCHEDULED, effective_from__lte=today()
    ).order_by("effective_from", "number")
    for version in due:
        token = _applying.set(version)
        actor_token = audit._actor.set(
            audit.Actor(
                label=version.author,
                user_id=version.actor_user_id,
                api_key_id=version.actor_api_key_id,
                request_id=version.request_id,
            )
        )
        try:
            with transaction.atomic():
                services.ladder_document_put(
                    company=ladder.company,
                    framework=ladder.framework,
                    levels=_inputs_from_states(ordered(version.document or []), ladder.framework),
                )
                if version.status == LadderVersion.Status.SCHEDULED:  # the document changed nothing
                    fresh = Ladder.objects.get(pk=ladder.pk)
                    record_version(fresh, applying=version)
        except FieldErrors as err:
            version.status = LadderVersion.Status.FAILED
            version.problems = err.errors
            version.save(update_fields=["status", "problems"])
            _version_record(ladder, version)
        finally:
            audit._actor.reset(actor_token)
            _applying.reset(token)
    ladder.refresh_from_db(fields=["version", "updated_at", "archived_at"])
    _refresh_next_effective(ladder)
    return True


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


# --- Reading versions -----------------------------------------------------------------------------


def in_effect(ladder: Ladder, day: date) -> LadderVersion | None:
    """The version in effect on ``day``; before the first version, the first one."""
    live = LadderVersion.objects.filter(ladder=ladder, status__in=LIVE_STATUSES)
    found = live.filter(effective_from__lte=day).order_by("-effective_from", "-number").first()
    return found or live.filter(status=LadderVersion.Status.APPLIED).order_by("seq").first()


def states_of(version: LadderVersion) -> list[dict[str, Any]]:
    """The levels of a version: its revision rows (one query), or a scheduled version's document."""
    if version.seq is None:
        return list(version.document or [])
    rows = LevelRevision.objects.filter(ladder_id=version.ladder_id, from_seq__lte=version.seq).filter(
        Q(to_seq__isnull=True) | Q(to_seq__gt=version.seq)
    )
    return [row.state for row in rows]


def states_for_versions(versions: list[LadderVersion]) -> dict[int, list[dict[str, Any]]]:
    """The levels of several versions (by version pk), with one query for all the applied ones."""
    out: dict[int, list[dict[str, Any]]] = {}
    applied = [v for v in versions if v.seq is not None]
    for v in versions:
        if v.seq is None:
            out[v.pk] = list(v.document or [])
    if applied:
        cond = Q()
        for v in applied:
            cond |= Q(ladder_id=v.ladder_id, from_seq__lte=v.seq) & (Q(to_seq__isnull=True) | Q(to_seq__gt=v.seq))
        rows = list(LevelRevision.objects.filter(cond))
        for v in applied:
            out[v.pk] = [
                r.state
                for r in rows
                if r.ladder_id == v.ladder_id and r.from_seq <= v.seq and (r.to_seq is None or r.to_seq > v.seq)
            ]
    return out


def document_levels(states) -> list[dict[str, Any]]:
    """Level states in the ladder document's shape (``scale_from``/``scale_to`` are the interval)."""
    out = []
    for s in ordered(states):
        interval = s.get("interval")
        out.append(
            {
                "id": s["id"],
                "title": s["title"],
                "code": s["code"],
                "track": s["track"],
                "rank": s["rank"],
                "reference_level": s["reference_level"],
                "anchor": s["anchor"],
                "scale_from": interval[0] if interval else None,
                "scale_to": interval[1] if interval else None,
                "external_id": s["external_id"],
                "is_active": s["is_active"],
                "description": s["description"],
                "aliases": s["aliases"],
            }
        )
    return out


# --- Diffs ----------------------------------------------------------------------------------------

DIFF_LEVEL_FIELDS = (
    "title",
    "code",
    "track",
    "rank",
    "reference_level",
    "anchor",
    "scale_from",
    "scale_to",
    "description",
    "external_id",
    "is_active",
)
DIFF_ALIAS_FIELDS = ("valid_to", "external_id")


def _level_key(state: dict[str, Any]) -> str:
    if state.get("id") is not None:
        return f"id:{state['id']}"
    return f"new:{state.get('code') or state['title'].casefold()}"  # a new level of a scheduled version


def _alias_key(alias: dict[str, Any]) -> tuple[str, str]:
    return (alias["title"].casefold(), alias["valid_from"] or "")


def diff_states(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Added, removed and changed levels and aliases, field by field (levels in document shape)."""
    old = {_level_key(s): s for s in document_levels(before)}
    new = {_level_key(s): s for s in document_levels(after)}
    levels: dict[str, list] = {"added": [], "removed": [], "changed": []}
    aliases: dict[str, list] = {"added": [], "removed": [], "changed": []}

    def ref(level: dict[str, Any]) -> dict[str, Any]:
        return {"level_id": level["id"], "level_title": level["title"], "level_code": level["code"]}

    for key, level in new.items():
        if key not in old:
            levels["added"].append(level)
            aliases["added"].extend({**ref(level), **a} for a in level["aliases"])
    for key, level in old.items():
        if key not in new:
            levels["removed"].append(level)
            aliases["removed"].extend({**ref(level), **a} for a in level["aliases"])
    for key, level in new.items():
        if key not in old:
            continue
        was = old[key]
        changes = [
            {"field": name, "from": was[name], "to": level[name]}
            for name in DIFF_LEVEL_FIELDS
            if was[name] != level[name]
        ]
        if changes:
            levels["changed"].append(
                {"id": level["id"], "title": level["title"], "code": level["code"], "changes": changes}
            )
        was_aliases = {_alias_key(a): a for a in was["aliases"]}
        now_aliases = {_alias_key(a): a for a in level["aliases"]}
        for akey, alias in now_aliases.items():
            if akey not in was_aliases:
                aliases["added"].append({**ref(level), **alias})
                continue
            alias_changes = [
                {"field": name, "from": was_aliases[akey][name], "to": alias[name]}
                for name in DIFF_ALIAS_FIELDS
                if was_aliases[akey][name] != alias[name]
            ]
            if alias_changes:
                aliases["changed"].append({**ref(level), "title": alias["title"], "changes": alias_changes})
        for akey, alias in was_aliases.items():
            if akey not in now_aliases:
                aliases["removed"].append({**ref(level), **alias})
    return {"levels": levels, "aliases": aliases}


def is_empty_diff(diff: dict[str, Any]) -> bool:
    return not any(diff[part][kind] for part in ("levels", "aliases") for kind in ("added", "removed", "changed"))


def summary(version: LadderVersion) -> dict[str, Any]:
    """A version without its levels (the shape of ``versions/``)."""
    return {
        "number": version.number,
        "status": version.status,
        "effective_from": version.effective_from.isoformat(),
        "created_at": version.created_at.isoformat().replace("+00:00", "Z"),
        "applied_at": version.applied_at.isoformat().replace("+00:00", "Z") if version.applied_at else None,
        "author": version.author,
        "request_id": version.request_id,
        "ladder_version": version.ladder_version,
        "problems": version.problems,
    }

"""Reading versions: the version in effect on a day, the levels of versions, a version's summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from ladder.models import Ladder, LadderVersion, LevelRevision
from ladder.times import iso_time

LIVE_STATUSES = (LadderVersion.Status.APPLIED, LadderVersion.Status.SCHEDULED)


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


def summary(version: LadderVersion) -> dict[str, Any]:
    """A version without its levels (the shape of ``versions/``)."""
    return {
        "number": version.number,
        "status": version.status,
        "effective_from": version.effective_from.isoformat(),
        "created_at": iso_time(version.created_at),
        "applied_at": iso_time(version.applied_at),
        "author": version.author,
        "request_id": version.request_id,
        "ladder_version": version.ladder_version,
        "problems": version.problems,
    }

"""The changes feed (DESIGN §5): every change visible to the caller, in a stable order, safe to poll.

The feed is a read of the change history (``ChangeRecord``), which every write path already fills in
the same transaction as the change: companies, ladders, levels, aliases, archives, restores and ladder
versions. Framework changes are not in it (they belong to no tenant).

Order. Entries are ordered by ``(txid, id)``. On PostgreSQL ``txid`` is the id of the transaction that
wrote the entry, and the feed serves only entries of transactions older than every transaction still
running (the oldest id in ``pg_current_snapshot()``, other databases' transactions left out). Ids
are taken when a row is inserted, not when it commits: without that bound a poller could read id
101, committed, move its cursor past it, and never see id 100, whose transaction committed a moment
later. With it, everything below the bound has committed (or rolled back) and everything written
later sorts after it, so a cursor never passes an entry that can still appear. The price is latency:
an entry waits until older transactions of this database end (milliseconds here; a long-running
writing transaction delays the feed, it loses nothing). SQLite runs one writing transaction at a
time, so ``txid`` is 0 and ids follow commit order.

Cursor. ``next_cursor`` is an opaque string encoding the last position served; it is returned even
when a page is empty, so a poller just keeps passing it back.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from ladder.models import ChangeRecord
from ladder.tenancy import Caller
from ladder.times import iso_time

# The oldest transaction still running as of this query's snapshot, leaving out the transactions that
# pg_stat_activity shows in other databases of the server (they cannot write here; one that ends
# meanwhile just stays in, which only delays entries). Without running transactions: the next id.
OLDEST_RUNNING_SQL = """COALESCE(
  (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE (x::text::bigint %% 4294967296) NOT IN (
     SELECT backend_xid::text::bigint FROM pg_stat_activity
     WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
  pg_snapshot_xmax(pg_current_snapshot())::text::bigint)"""
MAX_PAGE = 500
DEFAULT_PAGE = 100
_PREFIX = "c1."


class BadCursor(ValueError):
    pass


def encode_cursor(txid: int, pk: int) -> str:
    raw = f"{txid}:{pk}".encode()
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    if not cursor.startswith(_PREFIX) or len(cursor) > 80:
        raise BadCursor(cursor)
    body = cursor[len(_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        txid, pk = (int(part) for part in raw.split(":"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(cursor) from None
    if txid < 0 or pk < 0 or txid >= 2**63 or pk >= 2**63:
        raise BadCursor(cursor)
    return txid, pk


def visible_q(caller: Caller) -> Q:
    """Changes of the caller's organizations' companies (archived ones too) and of public companies."""
    q = Q(company_id__isnull=False)
    if caller.is_superuser:
        return q
    return q & (Q(company__is_public=True) | Q(company__organization_id__in=sorted(caller.readable_org_ids)))


@dataclass(frozen=True)
class FeedPage:
    entries: list[dict[str, Any]]
    next_cursor: str | None
    has_more: bool


_TYPES = {
    ChangeRecord.Action.CREATE: "created",
    ChangeRecord.Action.UPDATE: "updated",
    ChangeRecord.Action.DELETE: "deleted",
    ChangeRecord.Action.ARCHIVE: "archived",
    ChangeRecord.Action.RESTORE: "restored",
}


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    company, framework = row["company__slug"], row["framework__slug"]
    action, object_type, object_id = row["action"], row["object_type"], row["object_id"]
    after = row["after"] or {}
    if action == ChangeRecord.Action.VERSION:
        status = after.get("status")
        kind = {
            "scheduled": "ladder_version.scheduled",
            "cancelled": "ladder_version.cancelled",
            "failed": "ladder_version.failed",
        }.get(status, "ladder_version.created")
    else:
        kind = f"{object_type}.{_TYPES[action]}"
    tombstone = action in (ChangeRecord.Action.ARCHIVE, ChangeRecord.Action.DELETE) or (
        object_type == ChangeRecord.ObjectType.LEVEL and after.get("is_active") is False
    )
    url = None
    if object_type == ChangeRecord.ObjectType.COMPANY and company:
        url = f"/api/v1/companies/{company}/"
    elif object_type == ChangeRecord.ObjectType.LADDER and company and framework:
        url = f"/api/v1/companies/{company}/ladders/{framework}/"
        if action == ChangeRecord.Action.VERSION and row["ladder_version"]:
            url += f"versions/{row['ladder_version']}/"
    elif object_type == ChangeRecord.ObjectType.LEVEL:
        url = f"/api/v1/levels/{object_id}/"
    elif object_type == ChangeRecord.ObjectType.ALIAS and action != ChangeRecord.Action.DELETE:
        url = f"/api/v1/aliases/{object_id}/"
    return {
        "id": encode_cursor(row["txid"], row["id"]),
        "type": kind,
        "time": iso_time(row["changed_at"]),
        "object": {
            "type": object_type,
            "id": object_id,
            "company": company,
            "framework": framework,
            "level_id": row["level_id"],
        },
        "ladder_version": row["ladder_version"],
        "fields": sorted(after) if action == ChangeRecord.Action.UPDATE else [],
        "tombstone": tombstone,
        "actor": row["actor"],
        "request_id": row["request_id"],
        "url": url,
    }


def feed_page(*, caller: Caller, cursor: str | None, since: datetime | None, limit: int = DEFAULT_PAGE) -> FeedPage:
    """One page of the feed after ``cursor`` (and at or after ``since``): one query."""
    limit = max(1, min(limit, MAX_PAGE))
    records = ChangeRecord.objects.filter(visible_q(caller))
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        txid, pk = position
        records = records.filter(Q(txid__gt=txid) | Q(txid=txid, id__gt=pk))
    if since is not None:
        records = records.filter(changed_at__gte=since)
    if connection.vendor == "postgresql":
        # Only what every older transaction has finished with (see the module docstring).
        # (A reader that wrote in its own open transaction sees its own entries too, as in tests.)
        records = records.filter(
            Q(txid__lt=RawSQL(OLDEST_RUNNING_SQL, []))  # noqa: S611 (a constant, no input)
            | Q(txid=RawSQL("pg_current_xact_id_if_assigned()::text::bigint", []))
        )
    rows = list(
        records.order_by("txid", "id").values(
            "id",
            "txid",
            "changed_at",
            "action",
            "object_type",
            "object_id",
            "company__slug",
            "framework__slug",
            "level_id",
            "ladder_version",
            "after",
            "actor",
            "request_id",
        )[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        next_cursor = encode_cursor(rows[-1]["txid"], rows[-1]["id"])
    elif cursor or since is None:
        next_cursor = cursor or encode_cursor(0, 0)
    else:
        next_cursor = None  # nothing at or after ``since`` yet: ask again with ``since``
    return FeedPage(entries=[_entry(r) for r in rows], next_cursor=next_cursor, has_more=has_more)

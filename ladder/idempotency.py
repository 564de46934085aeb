"""Idempotent creates: a POST sent again with the same ``Idempotency-Key`` is answered, not re-run.

The key is claimed by inserting a row before the work starts (its own short transaction, so that a
concurrent duplicate sees it at once through the unique index): a duplicate that arrives while the
first request is still running gets 409; one that arrives after it finished gets the stored answer;
the same key with another body is a 422. The create and the completion of its record commit in one
transaction, so no failure can leave a created object without its stored answer. Keys are remembered
for 24 hours. A request that fails releases its key, so that it can be retried.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from ladder.models import IdempotencyRecord

KEY_LIFETIME = timedelta(hours=24)
# A claim still pending after this long belongs to a request that died: it may be taken over.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 255
# Printable ASCII with at least one character that is not a space (the key is stored trimmed).
KEY_PATTERN = r"^[ -~]*[!-~][ -~]*$"
_KEY = re.compile(KEY_PATTERN)


def valid_key(key: str) -> bool:
    """Whether an ``Idempotency-Key`` header value is acceptable (see ``KEY_PATTERN``)."""
    return len(key) <= MAX_KEY_LENGTH and _KEY.fullmatch(key) is not None


class IdempotencyConflict(Exception):
    """The same key is being processed right now (409)."""


class IdempotencyMismatch(Exception):
    """The key was used before with another request (422)."""


@dataclass(frozen=True)
class Claim:
    record: IdempotencyRecord
    replay: bool  # True: answer with the stored response instead of doing the work


def request_hash(method: str, path: str, body: Any) -> str:
    payload = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def claim(*, owner: str, key: str, method: str, path: str, body: Any) -> Claim:
    """Claim ``key`` for this request, or find the earlier request that holds it."""
    digest = request_hash(method, path, body)
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner, key=key, method=method, path=path, request_hash=digest, created_at=now
                )
            return Claim(record, replay=False)
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if existing is None:
                continue  # released between our insert and our read: try again
            expired = existing.created_at < now - KEY_LIFETIME
            abandoned = (
                existing.state == IdempotencyRecord.State.PENDING and existing.created_at < now - ABANDONED_AFTER
            )
            if expired or abandoned:
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                continue
            if existing.request_hash != digest:
                raise IdempotencyMismatch from None
            if existing.state == IdempotencyRecord.State.PENDING:
                raise IdempotencyConflict from None
            return Claim(existing, replay=True)
    raise IdempotencyConflict


def complete(claimed: Claim, *, status: int, body: Any, headers: dict[str, str]) -> None:
    IdempotencyRecord.objects.filter(pk=claimed.record.pk).update(
        state=IdempotencyRecord.State.DONE, response_status=status, response_body=body, response_headers=headers
    )


def release(claimed: Claim) -> None:
    """Give the key back after a failed request, so that a retry runs it again.

    When the failure was the database connection itself, the release is tried once more on a new
    connection; if the database is still away, the claim expires as abandoned (``ABANDONED_AFTER``).
    """
    pending = IdempotencyRecord.objects.filter(pk=claimed.record.pk, state=IdempotencyRecord.State.PENDING)
    try:
        pending.delete()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            return  # an outer transaction is broken; it rolls back the claim's release with it
        connection.close()
        with contextlib.suppress(OperationalError, InterfaceError):
            pending.delete()


def purge_expired() -> int:
    """Delete keys older than their lifetime (``manage.py purge_idempotency_keys``)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted

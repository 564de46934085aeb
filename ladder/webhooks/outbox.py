"""The outbox: a delivery row per event and subscription, written in the same transaction as the change.

``audit.save_records`` calls ``record_events`` with the history records it writes, so every write path
(API, ladder document, admin, scheduled versions) produces its events in one place. The rows are
handed to the queue only after the transaction commits, from a thread so that the request never
waits for the broker; if the broker is down then, the sweeper
(``ladder.webhooks.tasks.sweep``) hands them over later. Nothing is lost, and a request never waits
for a delivery.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ladder.models import ChangeRecord, WebhookDelivery, WebhookSubscription

logger = logging.getLogger("pmladder.webhooks")


def event_of(record: ChangeRecord, company_slug: str | None, framework_slug: str | None) -> dict:
    """A thin event: type, object reference, ladder version and where to fetch it."""
    from ladder.feed import _entry
    from ladder.times import iso_time

    entry = _entry(
        {
            "id": record.pk,
            "txid": 0,
            "changed_at": record.changed_at,
            "action": record.action,
            "object_type": record.object_type,
            "object_id": record.object_id,
            "company__slug": company_slug,
            "framework__slug": framework_slug,
            "level_id": record.level_id,
            "ladder_version": record.ladder_version,
            "after": record.after,
            "actor": record.actor,
            "request_id": record.request_id,
        }
    )
    return {
        "type": entry["type"],
        "timestamp": iso_time(record.changed_at),
        "data": {
            "object": entry["object"],
            "ladder_version": entry["ladder_version"],
            "fields": entry["fields"],
            "tombstone": entry["tombstone"],
            "url": entry["url"],
        },
    }


def record_events(records: list[ChangeRecord]) -> None:
    """Queue the events of these saved history records for the subscriptions that want them."""
    company_ids = {r.company_id for r in records if r.company_id}
    if not company_ids:
        return
    subscriptions = list(
        WebhookSubscription.objects.filter(
            is_active=True, flagged_at__isnull=True, organization__companies__in=company_ids
        ).annotate(
            company_id=F("organization__companies__id"),
            company_slug=F("organization__companies__slug"),
        )
    )
    if not subscriptions:
        return
    from ladder.models import Framework

    framework_ids = {r.framework_id for r in records if r.framework_id}
    frameworks = dict(Framework.objects.filter(pk__in=framework_ids).values_list("pk", "slug")) if framework_ids else {}
    now = timezone.now()
    rows = []
    for record in records:
        if not record.company_id or record.pk is None:
            continue
        for sub in subscriptions:
            if sub.company_id != record.company_id:
                continue
            event = event_of(record, sub.company_slug, frameworks.get(record.framework_id))
            if sub.wants(event["type"]):
                rows.append(
                    WebhookDelivery(
                        subscription_id=sub.pk,
                        event_id=f"msg_{record.pk}",
                        event_type=event["type"],
                        payload=event,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
    if rows:
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            WebhookDelivery.objects.filter(
                event_id__in={r.event_id for r in rows}, status=WebhookDelivery.Status.PENDING
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: hand_over_in_background(ids))


def hand_over_in_background(ids: list[int]) -> None:
    """Publish from a thread: the request answers without waiting for the broker, even a broker that
    is down (its connection attempts take seconds). A process that ends first leaves the rows to the
    sweeper."""
    threading.Thread(target=hand_over, args=(ids,), name="webhook-hand-over", daemon=True).start()


def hand_over(ids: list[int]) -> None:
    """Give committed deliveries to the queue; a broker outage is left to the sweeper."""
    from ladder.webhooks.tasks import deliver

    for pk in ids:
        try:
            deliver.apply_async((pk,), retry=False)
        except Exception:  # the broker is down: the sweeper re-queues the row later
            logger.warning("broker unavailable: delivery %s left to the sweeper", pk, exc_info=True)
            return

"""Celery tasks: deliver one event, and sweep what the broker lost."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ladder.models import WebhookDelivery
from ladder.webhooks import delivery

logger = logging.getLogger("pmladder.webhooks")

SWEEP_BATCH = 500


@shared_task(name="ladder.webhooks.deliver", ignore_result=True, acks_late=True)
def deliver(delivery_id: int) -> None:
    """Idempotent: a delivery already made, or taken by another worker, is left alone."""
    wait = delivery.attempt(delivery_id)
    if wait is not None:
        try:
            deliver.apply_async((delivery_id,), countdown=wait, retry=False)
        except Exception:  # the broker is down: the sweeper re-queues it when it is due
            logger.warning("broker unavailable: retry of delivery %s left to the sweeper", delivery_id)


@shared_task(name="ladder.webhooks.sweep", ignore_result=True)
def sweep() -> int:
    """Re-queue pending deliveries that are overdue: their message was lost, or never sent."""
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=timezone.now() - timedelta(seconds=settings.WEBHOOKS_SWEEP_GRACE),
            subscription__is_active=True,
            subscription__flagged_at__isnull=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in due:
        deliver.apply_async((pk,), retry=False)
    return len(due)

"""The worker's tasks (``ladder.webhooks.tasks``): the sweeper hands over what is overdue."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ladder.models import WebhookDelivery
from ladder.webhooks.tasks import sweep
from tests.webhooks.conftest import DOC, URL


def test_the_sweeper_requeues_overdue_deliveries(write_client, subscription):
    write_client.put(URL, DOC, format="json")
    assert sweep() == 0  # just written: not overdue yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert sweep() == WebhookDelivery.objects.count() == 3

"""Delivery (``ladder.webhooks.delivery``): signed per Standard Webhooks, retried with backoff, never to
private addresses, never hanging."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from ladder.models import WebhookDelivery, WebhookSubscription
from ladder.webhooks import delivery as sending
from tests.webhooks.conftest import DOC, URL


@override_settings(WEBHOOKS_ALLOW_PRIVATE=True)
def test_a_delivery_is_signed_per_standard_webhooks(write_client, subscription, receiver):
    write_client.put(URL, DOC, format="json")
    item = WebhookDelivery.objects.get(event_type="level.created")
    assert sending.attempt(item.pk) is None
    (headers, body) = receiver.requests[0]
    verified = Webhook(subscription["secret"]).verify(body, headers)
    assert verified["type"] == "level.created" and headers["webhook-id"] == item.event_id
    item.refresh_from_db()
    assert (item.status, item.attempts, item.response_code) == ("delivered", 1, 200)
    assert sending.attempt(item.pk) is None and len(receiver.requests) == 1  # never twice
    with pytest.raises(Exception):  # noqa: B017 (the library's own error type)
        Webhook(sending.new_secret()).verify(body, headers)
    log = write_client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/").json()["results"]
    assert {d["status"] for d in log} == {"delivered", "pending"}


@override_settings(WEBHOOKS_ALLOW_PRIVATE=True)
def test_failures_back_off_with_jitter_for_24_hours_then_flag_the_subscription(write_client, subscription, receiver):
    receiver.status = 500
    write_client.put(URL, DOC, format="json")
    item = WebhookDelivery.objects.get(event_type="level.created")
    waits = []
    start = timezone.now()
    for hours in (0, 1, 5, 23):
        with time_machine.travel(start + timedelta(hours=hours, minutes=1), tick=False):
            WebhookDelivery.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
            waits.append(sending.attempt(item.pk))
    assert all(w is not None for w in waits)
    assert 5 <= waits[0] <= 15 and 10 <= waits[1] <= 30  # 10 s, then 20 s, each ×[0.5, 1.5]
    item.refresh_from_db()
    assert (item.status, item.attempts, item.response_code, item.last_error) == ("pending", 4, 500, "HTTP 500")
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        WebhookDelivery.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
        assert sending.attempt(item.pk) is None
    item.refresh_from_db()
    assert item.status == "failed"
    assert WebhookSubscription.objects.get(pk=subscription["id"]).flagged_at is not None
    assert write_client.get(f"/api/v1/webhooks/{subscription['id']}/").json()["flagged_at"] is not None
    # Re-enable, and send it again.
    receiver.status = 204
    assert (
        write_client.patch(f"/api/v1/webhooks/{subscription['id']}/", {"is_active": True}, format="json").json()[
            "flagged_at"
        ]
        is None
    )
    retried = write_client.post(f"/api/v1/webhooks/{subscription['id']}/deliveries/{item.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["status"] == "pending"
    assert sending.attempt(item.pk) is None
    item.refresh_from_db()
    assert item.status == "delivered" and item.response_code == 204
    assert write_client.post(f"/api/v1/webhooks/{subscription['id']}/deliveries/999999/retry/").status_code == 404


def test_private_addresses_are_refused_at_delivery_time(write_client, subscription, receiver):
    write_client.put(URL, DOC, format="json")
    item = WebhookDelivery.objects.get(event_type="level.created")
    with override_settings(WEBHOOKS_ALLOW_PRIVATE=False):
        sending.attempt(item.pk)
    item.refresh_from_db()
    assert item.status == "pending" and "not a public address" in item.last_error
    assert receiver.requests == []
    with pytest.raises(sending.UnsafeURL):
        sending.check_url("http://[::ffff:127.0.0.1]/h")
    with pytest.raises(sending.UnsafeURL):
        sending.check_url("http://169.254.169.254/latest/meta-data")


def test_a_timeout_is_short_and_is_an_error_not_a_hang(write_client, company, framework):
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/h"
    with override_settings(WEBHOOKS_ALLOW_PRIVATE=True):
        write_client.post("/api/v1/webhooks/", {"url": url, "events": ["level.*"]}, format="json")
        write_client.put(URL, DOC, format="json")
        item = WebhookDelivery.objects.get()
        started = time.monotonic()
        sending.attempt(item.pk)
        elapsed = time.monotonic() - started
    silent.close()
    item.refresh_from_db()
    assert elapsed < sending.READ_TIMEOUT + 2
    assert item.status == "pending" and "timed out" in item.last_error.lower()

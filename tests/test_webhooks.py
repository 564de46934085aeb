"""Webhooks: subscriptions, the outbox written with the change, signed delivery, retries, SSRF guard.

The queue itself (Celery worker, Redis broker, broker outage) is exercised by ``.ci/webhooks.sh``; here
the delivery code runs in process against a real local HTTP receiver.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from ladder import services
from ladder.models import Company, WebhookDelivery, WebhookSubscription
from ladder.webhooks import delivery as sending
from ladder.webhooks.tasks import sweep

URL = "/api/v1/companies/own-co/ladders/product-management/"
DOC = {"levels": [{"title": "Product Manager", "code": "L4", "reference_level": "pm"}]}


class Receiver:
    """A local HTTP endpoint that records what it receives and answers ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def subscription(write_client, company, framework, receiver):
    with override_settings(WEBHOOKS_ALLOW_PRIVATE=True):
        response = write_client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["*"]}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_subscribing_returns_the_secret_once_and_is_tenancy_scoped(
    write_client, read_client, other_write_client, subscription
):
    assert subscription["secret"].startswith("whsec_")
    listed = write_client.get("/api/v1/webhooks/").json()["results"]
    assert [s["id"] for s in listed] == [subscription["id"]] and "secret" not in listed[0]
    assert other_write_client.get(f"/api/v1/webhooks/{subscription['id']}/").status_code == 404
    assert other_write_client.get("/api/v1/webhooks/").json()["results"] == []
    denied = read_client.post("/api/v1/webhooks/", {"url": "https://example.com/h", "events": ["*"]}, format="json")
    assert denied.status_code == 403
    for url in ("http://127.0.0.1:9/h", "http://10.0.0.8/h", "ftp://example.com/h", "http://localhost/h"):
        bad = write_client.post("/api/v1/webhooks/", {"url": url, "events": ["*"]}, format="json")
        assert bad.status_code == 400, url
    unknown = write_client.post("/api/v1/webhooks/", {"url": "https://example.com/h", "events": ["x.y"]}, format="json")
    assert unknown.status_code == 400


def test_events_are_written_in_the_transaction_of_the_change(write_client, subscription, company):
    assert write_client.put(URL, DOC, format="json").status_code == 201
    types = sorted(WebhookDelivery.objects.values_list("event_type", flat=True))
    assert types == ["ladder.created", "ladder_version.created", "level.created"]
    before = WebhookDelivery.objects.count()
    assert write_client.put(URL, {"levels": [{"title": ""}]}, format="json").status_code == 400
    with pytest.raises(RuntimeError), transaction.atomic():
        services.company_update(company=Company.objects.get(pk=company.pk), values={"name": "Renamed"})
        raise RuntimeError("the change rolls back")
    assert WebhookDelivery.objects.count() == before  # no event without its change
    event = WebhookDelivery.objects.get(event_type="ladder_version.created").payload
    assert event["data"]["ladder_version"] == 1
    assert event["data"]["url"] == URL + "versions/1/"


def test_only_wanted_events_are_queued(write_client, company, framework):
    with override_settings(WEBHOOKS_ALLOW_PRIVATE=True):
        write_client.post(
            "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/h", "events": ["ladder_version.*"]}, format="json"
        )
    write_client.put(URL, DOC, format="json")
    assert list(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["ladder_version.created"]


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


def test_the_sweeper_requeues_overdue_deliveries(write_client, subscription):
    write_client.put(URL, DOC, format="json")
    assert sweep() == 0  # just written: not overdue yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert sweep() == WebhookDelivery.objects.count() == 3


def test_event_payloads_are_thin(write_client, subscription):
    write_client.put(URL, DOC, format="json")
    payload = WebhookDelivery.objects.get(event_type="level.created").payload
    assert set(payload) == {"type", "timestamp", "data"}
    assert set(payload["data"]) == {"object", "ladder_version", "fields", "tombstone", "url"}
    assert json.dumps(payload)  # plain JSON

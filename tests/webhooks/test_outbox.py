"""The outbox (``ladder.webhooks.outbox``): events written in the transaction of the change, for the
subscriptions that want them, thin."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import override_settings

from ladder import services
from ladder.models import Company, WebhookDelivery
from tests.webhooks.conftest import DOC, URL


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


def test_event_payloads_are_thin(write_client, subscription):
    write_client.put(URL, DOC, format="json")
    payload = WebhookDelivery.objects.get(event_type="level.created").payload
    assert set(payload) == {"type", "timestamp", "data"}
    assert set(payload["data"]) == {"object", "ladder_version", "fields", "tombstone", "url"}
    assert json.dumps(payload)  # plain JSON

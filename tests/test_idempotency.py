"""Idempotent creates: replays, released keys, key scopes and expiry, races and cut connections."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from ladder.models import Company
from tests.conftest import key_client
from tests.factories import make_key

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_idempotent_create_cut_off_at_its_commit_is_answered_on_retry(monkeypatch, org):
    """The connection dies between the create and the completion of its idempotency record: the
    client gets a retryable error, and the retry creates the company exactly once (no 409 stall)."""
    from ladder import idempotency

    _, key = make_key(org)
    real_complete = idempotency.complete
    cut = {"done": False}

    def complete_then_lose_the_connection(*args, **kwargs):
        if not cut["done"]:
            cut["done"] = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            killer = connections.create_connection("default")
            try:
                with killer.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            finally:
                killer.close()
        return real_complete(*args, **kwargs)

    monkeypatch.setattr(idempotency, "complete", complete_then_lose_the_connection)
    body = {"slug": "cut-co", "name": "Cut Co"}
    client = key_client(key)
    first = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="cut-1")
    assert first.status_code == 503, first.content
    assert first.json()["code"] == "service_unavailable"
    assert "Retry-After" in first
    retry = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="cut-1")
    assert retry.status_code == 201, retry.content
    again = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="cut-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == retry.json()["id"]
    assert Company.objects.filter(slug="cut-co").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_create_whose_answer_cannot_be_recorded_leaves_nothing_behind(monkeypatch, org):
    """The write of the stored answer fails (a database error at the end of the create): the create
    rolls back with it, the client is told to retry, and the retry creates once."""
    from django.db import OperationalError

    from ladder import idempotency

    _, key = make_key(org)
    real_complete = idempotency.complete
    failures = iter([True])

    def complete_or_fail(*args, **kwargs):
        if next(failures, False):
            raise OperationalError("the database went away")
        return real_complete(*args, **kwargs)

    monkeypatch.setattr(idempotency, "complete", complete_or_fail)
    client = key_client(key)
    body = {"slug": "fault-co", "name": "Fault Co"}
    first = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="fault-1")
    assert first.status_code == 503
    assert not Company.objects.filter(slug="fault-co").exists()
    retry = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="fault-1")
    assert retry.status_code == 201, retry.content
    replay = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="fault-1")
    assert replay["Idempotent-Replayed"] == "true"
    assert Company.objects.filter(slug="fault-co").count() == 1

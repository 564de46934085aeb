"""Idempotent creates: replays, released keys, key scopes and expiry, races and cut connections."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from ladder.models import Company, IdempotencyRecord
from tests.conftest import error_of, fields_and_codes, key_client, on_postgresql
from tests.factories import make_key


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


def test_replayed_create_returns_the_same_response_and_one_row(write_client, org):
    body = {"slug": "retry-co", "name": "Retry Co"}
    first = write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Company.objects.filter(slug="retry-co").count() == 1
    other = write_client.post(
        "/api/v1/companies/", {"slug": "retry-co-2", "name": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert not Company.objects.filter(slug="retry-co-2").exists()


def test_a_failed_create_releases_its_key(write_client, org):
    bad = write_client.post("/api/v1/companies/", {"slug": "x y"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.filter(key="k-2").exists()
    fixed = write_client.post(
        "/api/v1/companies/", {"slug": "x-y", "name": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert fixed.status_code == 201


def test_keys_belong_to_their_caller_and_expire(write_client, other_write_client, org):
    body = {"slug": "shared-key", "name": "S"}
    assert write_client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201
    body2 = {"slug": "shared-key-2", "name": "S"}
    response = other_write_client.post("/api/v1/companies/", body2, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 201  # another caller's key space
    from datetime import timedelta

    from django.utils import timezone

    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    body3 = {"slug": "shared-key-3", "name": "S"}
    assert write_client.post("/api/v1/companies/", body3, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


def test_invalid_idempotency_key_is_400(write_client, org):
    response = write_client.post(
        "/api/v1/companies/", {"slug": "k", "name": "K"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "Idempotency-Key"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_row(org):
    _, key = make_key(org)
    body = {"slug": "race-co", "name": "Race"}
    barrier = threading.Barrier(6)

    def send(_):
        client = key_client(key)
        barrier.wait()
        try:
            response = client.post("/api/v1/companies/", body, format="json", HTTP_IDEMPOTENCY_KEY="race")
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(send, range(6)))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {201, 409}, results
    assert statuses.count(201) >= 1
    assert Company.objects.filter(slug="race-co").count() == 1
    assert len({body["id"] for status, body in results if status == 201}) == 1


@pytest.mark.parametrize("key", ["é", "\x7f", " ", "k" * 256])
def test_idempotency_key_outside_printable_ascii_is_400(write_client, org, key):
    response = write_client.post("/api/v1/companies/", {"slug": "idem", "name": "Idem"}, HTTP_IDEMPOTENCY_KEY=key)
    assert ("Idempotency-Key", "invalid_idempotency_key") in fields_and_codes(error_of(response, 400))
    assert not Company.objects.filter(slug="idem").exists()

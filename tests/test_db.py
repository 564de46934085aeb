"""When the database cannot be reached: 503 with Retry-After, never a hung or HTML answer."""

from __future__ import annotations

import socket

import pytest
from django.db import connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="points the live connection at a closed port (PostgreSQL)"
)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_away():
    """Point the default connection at a port where nothing listens, then put it back."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": str(_closed_port())})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_with_retry_after(write_client, client, database_away):
    for response in (
        write_client.get("/api/v1/companies/"),
        write_client.post("/api/v1/companies/", {"slug": "x-co", "name": "X"}, format="json"),
        write_client.get("/api/v1/translate", {"source": "reference", "target": "reference", "title": "PM"}),
        client.post("/admin/login/", {"username": "someone", "password": "secret"}),
    ):
        assert response.status_code == 503, response.content[:300]
        assert response["Retry-After"] == "5"
        assert response.json()["code"] == "service_unavailable"

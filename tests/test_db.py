"""When a dependency fails: a database that cannot be reached answers 503 with Retry-After, and a
Redis that hangs is skipped by the cache's circuit breaker instead of slowing every request."""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from ladder.cache import BreakerRedisCache, CacheUnavailable

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


class BlackHole:
    """A TCP server that accepts connections and never answers: a hung Redis."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.conns: list[socket.socket] = []
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            self.conns.append(conn)

    def close(self) -> None:
        self._stop = True
        self.thread.join()
        for conn in self.conns:
            conn.close()
        self.sock.close()


@pytest.fixture
def hung_redis():
    hole = BlackHole()
    yield hole
    hole.close()


def _breaker_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "ladder.cache.BreakerRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_the_breaker_opens_after_consecutive_failures_and_then_skips_redis(hung_redis):
    cache = BreakerRedisCache(f"redis://127.0.0.1:{hung_redis.port}/0", {"OPTIONS": {"socket_timeout": 0.2}})
    for _ in range(3):
        with pytest.raises(Exception) as failure:
            cache.get("k")
        assert not isinstance(failure.value, CacheUnavailable)  # a real timeout from Redis
    assert cache.breaker.current_state == "open"
    accepted = hung_redis.accepted
    for _ in range(50):
        with pytest.raises(CacheUnavailable):
            cache.get("k")
        with pytest.raises(CacheUnavailable):
            cache.incr("k")
    assert hung_redis.accepted == accepted  # Redis was not even contacted while the breaker was open


def test_requests_are_answered_while_redis_hangs(hung_redis, demo, read_client):
    """Throttles and snapshots use the cache on every request; with Redis hung, the first few requests
    wait out the timeout, then the breaker opens and the rest never touch Redis."""
    with override_settings(CACHES=_breaker_cache(hung_redis.port)):  # Django rebuilds its cache handler
        query = {"source": "reference", "target": "parallax", "title": "Senior Product Manager"}
        for _ in range(10):
            response = read_client.get("/api/v1/translate", query)
            assert response.status_code == 200, response.content[:300]
        assert caches["default"].breaker.current_state == "open"
        accepted = hung_redis.accepted
        assert read_client.get("/api/v1/translate", query).status_code == 200
        assert hung_redis.accepted == accepted

"""The cache: a circuit breaker skips a Redis that hangs, and requests are answered while it is away."""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.cache import caches
from django.test import override_settings

from ladder.cache import BreakerRedisCache, CacheUnavailable
from tests.conftest import key_client
from tests.factories import make_key


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


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
)
def test_requests_succeed_when_the_cache_is_down(demo):
    """Redis unreachable: throttles step aside and translations are built from the database."""
    from ladder.models import Organization
    from ladder.translation.cache import local_snapshots

    local_snapshots.clear()
    client = key_client(make_key(Organization.objects.get(slug="demo"))[1])
    response = client.get("/api/v1/translate", {"source": "globex", "target": "parallax", "title": "Sr. PM"})
    assert response.status_code == 200
    assert response.json()["results"][0]["target_level"]["code"] == "L5"
    assert client.get("/api/v1/companies/").status_code == 200


def _local_redis_or_skip(db: int) -> str:
    import redis

    url = f"redis://127.0.0.1:6379/{db}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("needs the local Redis at 127.0.0.1:6379 (.ci/run starts it)")
    return url


def test_rate_counters_are_atomic_across_workers_in_one_round_trip():
    """Two cache objects stand for two workers sharing Redis; threads hit one counter at once."""
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from ladder.cache import count_in_window

    url = _local_redis_or_skip(15)
    workers = [BreakerRedisCache(url, {"KEY_PREFIX": "test"}) for _ in range(2)]
    key, previous = f"throttle:test:{uuid.uuid4().hex}", f"throttle:test:{uuid.uuid4().hex}"
    workers[0].set(previous, 7)
    assert [count_in_window(workers[i % 2], key, previous, 60) for i in range(4)] == [(n, 7) for n in (1, 2, 3, 4)]
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda i: count_in_window(workers[i % 2], key, previous, 60)[0], range(400)))
    assert sorted(counts) == list(range(5, 405))  # no two hits saw the same count
    client = workers[0]._cache.get_client(write=True)
    full = workers[0].make_and_validate_key(key)
    assert 0 < client.ttl(full) <= 60  # the first hit set the expiry; later hits did not extend it
    assert workers[1].get(key) == 404  # a plain cache read sees the count
    client.delete(full, workers[0].make_and_validate_key(previous))


def test_rate_counters_in_the_local_cache_count_too():
    from django.core.cache.backends.locmem import LocMemCache

    from ladder.cache import count_in_window

    local = LocMemCache("counters", {})
    assert [count_in_window(local, "k", "before", 60) for _ in range(3)] == [(1, 0), (2, 0), (3, 0)]


def test_the_throttle_counts_on_redis_in_one_round_trip(monkeypatch):
    """Through DRF's proxy of the default cache, the throttle takes Redis's one-trip path."""
    import uuid
    from types import SimpleNamespace

    from ladder.api.throttling import ReadThrottle

    url = _local_redis_or_skip(15)
    calls = []
    original = BreakerRedisCache.count_hit

    def recording(self, *args):
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(BreakerRedisCache, "count_hit", recording)
    prefix = f"test-{uuid.uuid4().hex}"
    redis_cache = {"default": {"BACKEND": "ladder.cache.BreakerRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    request = SimpleNamespace(method="GET", auth=SimpleNamespace(pk=1), user=None)
    with override_settings(CACHES=redis_cache, PMLADDER_THROTTLE_RATES={"read": "3/min"}):
        allowed = [ReadThrottle().allow_request(request, None) for _ in range(4)]
        caches["default"].clear()
    assert allowed == [True, True, True, False]
    assert len(calls) == 4

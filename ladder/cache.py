"""The shared cache (Redis) behind a circuit breaker, its rate counters, and the per-process LRU.

Every cache call is an optimisation: snapshots and throttle counters fall back to the database or
step aside when Redis fails. A Redis that hangs instead of failing (a stopped process, a network
black hole) still costs each call the full socket timeout, which cut capacity about ninefold in a
probe. The breaker (pybreaker) opens after ``PMLADDER_CACHE_BREAKER_FAILURES`` consecutive Redis
errors; while it is open, calls fail at once, and after ``PMLADDER_CACHE_BREAKER_RESET`` seconds one
call is let through to try Redis again. State is per process: each worker finds out on its own.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pybreaker
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("pmladder.cache")


class CacheUnavailable(Exception):
    """The cache is skipped for now (its breaker is open)."""


class _LogTransitions(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state) -> None:
        logger.warning("cache circuit breaker: %s -> %s", old_state.name, new_state.name)


def _not_a_redis_failure(exc: BaseException) -> bool:
    return not isinstance(exc, (RedisError, OSError))


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache operation, and building one copies its table
    of response callbacks (a few hundred dictionary writes): about a third of the cost of a cache
    read in a profile, and every API request makes three (the directory generation and the
    throttle's read and write). A ``redis.Redis`` is safe to share between threads (each command
    takes a connection from the pool), so one per pool is enough.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class BreakerRedisCache(RedisCache):
    """Django's Redis cache, with every call going through one circuit breaker per process."""

    _METHODS = (
        "get",
        "set",
        "add",
        "delete",
        "touch",
        "incr",
        "decr",
        "has_key",
        "get_many",
        "set_many",
        "delete_many",
        "clear",
    )

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=getattr(settings, "PMLADDER_CACHE_BREAKER_FAILURES", 3),
            reset_timeout=getattr(settings, "PMLADDER_CACHE_BREAKER_RESET", 10),
            exclude=[_not_a_redis_failure],
            listeners=[_LogTransitions()],
            name="cache",
            throw_new_error_on_trip=False,  # the call that trips it reports the real Redis error
        )

    def _guarded(self, name, *args, **kwargs):
        return self._through_breaker(getattr(super(), name), *args, **kwargs)

    def _through_breaker(self, call, *args, **kwargs):
        try:
            return self.breaker.call(call, *args, **kwargs)
        except pybreaker.CircuitBreakerError as exc:
            raise CacheUnavailable("the cache is skipped while its circuit breaker is open") from exc

    def count_hit(self, key: str, previous_key: str, timeout: int) -> tuple[int, int]:
        """``count_in_window`` in one round trip: ``SET key 0 EX timeout NX``, ``INCR key`` and
        ``GET previous_key`` in a pipeline, atomic for every worker that shares the Redis."""
        full, previous = self.make_and_validate_key(key), self.make_and_validate_key(previous_key)

        def run() -> tuple[int, int]:
            pipe = self._cache.get_client(full, write=True).pipeline(transaction=False)
            pipe.set(full, 0, ex=timeout, nx=True)
            pipe.incr(full)
            pipe.get(previous)
            _, count, before = pipe.execute()
            return count, int(before or 0)

        return self._through_breaker(run)


def _make(name):
    def method(self, *args, **kwargs):
        return self._guarded(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``RedisCache.{name}`` through the circuit breaker."
    return method


for _name in BreakerRedisCache._METHODS:
    setattr(BreakerRedisCache, _name, _make(_name))


def count_in_window(cache, key: str, previous_key: str, timeout: int) -> tuple[int, int]:
    """Add one to the counter ``key`` and return its new value with the value of ``previous_key`` (0
    when there is none). A counter is created by its first hit and removed ``timeout`` seconds later.
    Redis does it in one atomic round trip; another cache (the local memory one of development and
    tests) adds the key or else increments it, then reads the other."""
    count_hit = getattr(cache, "count_hit", None)  # ``cache`` may be Django's proxy of the default cache
    if count_hit is not None:
        return count_hit(key, previous_key, timeout)
    if cache.add(key, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # it expired between the two calls
            cache.set(key, 1, timeout)
            count = 1
    return count, int(cache.get(previous_key) or 0)


class LocalCache:
    """A thread-safe LRU for this process, bounded by the bytes its values take, as ``size`` estimates
    them (translation snapshots, kept ladder documents).

    Bounded by bytes rather than by count, so that an HR platform with thousands of small ladders
    keeps them all (no thrashing between random pairs of companies) while a worker's memory stays
    within its budget (``SNAPSHOT_CACHE_MB``, ``DOCUMENT_CACHE_MB``).
    """

    def __init__(self, budget_bytes: int, size: Callable[[Any], int]) -> None:
        self.budget = budget_bytes
        self.size = size
        self.used = 0
        self._data: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            self._data.move_to_end(key)
            return entry[0]

    def set(self, key: Any, value: Any) -> None:
        size = self.size(value)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self._data[key] = (value, size)
            self.used += size
            while self.used > self.budget and len(self._data) > 1:
                _, (_, dropped) = self._data.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._data)

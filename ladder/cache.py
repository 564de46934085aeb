"""The shared cache (Redis) behind a circuit breaker.

Every cache call is an optimisation: snapshots and throttle counters fall back to the database or
step aside when Redis fails. A Redis that hangs instead of failing (a stopped process, a network
black hole) still costs each call the full socket timeout, which cut capacity about ninefold in a
probe. The breaker (pybreaker) opens after ``PMLADDER_CACHE_BREAKER_FAILURES`` consecutive Redis
errors; while it is open, calls fail at once, and after ``PMLADDER_CACHE_BREAKER_RESET`` seconds one
call is let through to try Redis again. State is per process: each worker finds out on its own.
"""

from __future__ import annotations

import logging

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
        method = getattr(super(), name)
        try:
            return self.breaker.call(method, *args, **kwargs)
        except pybreaker.CircuitBreakerError as exc:
            raise CacheUnavailable("the cache is skipped while its circuit breaker is open") from exc


def _make(name):
    def method(self, *args, **kwargs):
        return self._guarded(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``RedisCache.{name}`` through the circuit breaker."
    return method


for _name in BreakerRedisCache._METHODS:
    setattr(BreakerRedisCache, _name, _make(_name))

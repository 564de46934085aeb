"""Where engine snapshots are kept between requests: two tiers, keyed by what they were built from.

A small in-process LRU bounded by bytes (no unpickling on the hot path) in front of Django's cache
(Redis when ``REDIS_URL`` is set, so every worker shares the work). A cache outage never fails a
request: the database still answers, so an unreachable cache is logged and passed over.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("pmladder.translation")

# Bump when the snapshot classes change shape, so that no worker unpickles an older layout.
SNAPSHOT_FORMAT = 3
SHARED_TIMEOUT = 24 * 3600  # seconds: keys name what a snapshot was built from, so this only frees memory


def approximate_size(snapshot: Any) -> int:
    """Bytes a snapshot takes in memory with its indexes, estimated from its size (measured with
    tracemalloc: under 20 KB for 8 levels, 32 KB for the 11 levels and aliases of the demo Globex)."""
    levels = getattr(snapshot, "levels", None)
    if levels is None:  # a framework snapshot: few per process, counted generously
        return 64 * 1024
    return 1024 + 2560 * (len(levels) + len(getattr(snapshot, "aliases", ())))


class LocalCache:
    """A thread-safe LRU for this process, bounded by the bytes its values take (``size``, by default
    a snapshot's ``approximate_size``).

    Bounded by bytes rather than by count, so that an HR platform with thousands of small ladders
    keeps them all (no thrashing between random pairs of companies) while a worker's memory stays
    within ``SNAPSHOT_CACHE_MB``.
    """

    def __init__(self, budget_bytes: int, size: Callable[[Any], int] = approximate_size) -> None:
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


local_snapshots = LocalCache(settings.PMLADDER_SNAPSHOT_CACHE_BYTES)


def cached(key: str) -> Any:
    """The snapshot stored under ``key`` in this process or the shared cache, or ``None``."""
    value = local_snapshots.get(key)
    if value is None:
        try:
            value = cache.get(key)
        except Exception:  # a cache outage must not fail a request: the database still answers
            logger.warning("cache unavailable: snapshot %s read from the database", key, exc_info=True)
            value = None
        if value is not None:
            local_snapshots.set(key, value)
    return value


def store(key: str, value: Any) -> None:
    """Keep a snapshot in both tiers."""
    local_snapshots.set(key, value)
    try:
        cache.set(key, value, timeout=SHARED_TIMEOUT)
    except Exception:  # same: caching is an optimisation only, so note the outage and go on
        logger.warning("cache unavailable: snapshot %s not stored", key, exc_info=True)

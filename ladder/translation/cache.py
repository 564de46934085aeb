"""Where engine snapshots are kept between requests: two tiers, keyed by what they were built from.

A small in-process LRU bounded by bytes (``ladder.cache.LocalCache``; no unpickling on the hot path)
in front of Django's cache (Redis when ``REDIS_URL`` is set, so every worker shares the work). A
cache outage never fails a request: the database still answers, so an unreachable cache is logged
and passed over.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache

from ladder.cache import LocalCache

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


local_snapshots = LocalCache(settings.PMLADDER_SNAPSHOT_CACHE_BYTES, size=approximate_size)


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

"""Per-process caches of what every request looks up first (its API key, the ladders it names),
kept correct by one shared *generation*.

The generation is a random token in Django's cache (Redis when ``REDIS_URL`` is set, so every worker
and machine sees the same one). Any committed change to an API key, organization-visible company,
ladder (including every version bump), framework or reference level replaces it. A cached entry
remembers the generation it was read under and is used only while that is still the current one, so
a revoked key or a new ladder version is seen by the next request in every process. Reading the
generation costs one cache read per request instead of the database queries and the key hash.

If the cache cannot be read, nothing is served from these caches; if a replacement is lost (the
cache was down while a change committed), entries still expire after ``MAX_AGE`` seconds. The
caches are on when the generation is shared (``REDIS_URL``) and off otherwise, since workers that
each keep their own generation would not see each other's changes (``DIRECTORY_CACHE`` overrides
this; the test suite, one process, turns it on).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("pmladder.directory")

GENERATION_KEY = "directory:generation"
MAX_AGE = 300.0  # seconds: the bound on staleness when a generation change was lost


# Within one request the generation is read once (the key check and the ladder lookup share it).
_request_memo: contextvars.ContextVar[list[str | None] | None] = contextvars.ContextVar(
    "pmladder_generation", default=None
)


@contextlib.contextmanager
def request_scope():
    """One request (an HTTP request or an MCP tool call): the generation is read at most once."""
    token = _request_memo.set([])
    try:
        yield
    finally:
        _request_memo.reset(token)


def current_generation() -> str | None:
    """The current generation, or ``None`` when the cache cannot say (then nothing is served cached)."""
    if not settings.PMLADDER_DIRECTORY_CACHE:
        return None
    memo = _request_memo.get()
    if memo:
        return memo[0]
    generation = _read_generation()
    if memo is not None:
        memo.append(generation)
    return generation


def _read_generation() -> str | None:
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("cache unavailable: lookups go to the database", exc_info=True)
        return None
    return generation


def clear_local() -> None:
    """Forget every entry of this process."""
    for table in _tables:
        table.clear()


def _replace_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # entries still expire after MAX_AGE
        logger.warning("cache unavailable: generation not replaced", exc_info=True)
    clear_local()


def changed() -> None:
    """Something the caches hold changed: forget this process's entries now, and replace the shared
    generation once the transaction commits.

    After the commit, not before: a request between the two would otherwise cache the old rows under
    the new generation. (A test's transaction never commits; clearing this process's tables at once
    keeps the suite, which runs in one process, exact.)
    """
    clear_local()
    transaction.on_commit(_replace_generation)


class GenerationCache:
    """A bounded, thread-safe LRU whose entries hold only under the generation they were read in."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data: OrderedDict[Hashable, tuple[str, float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _tables.append(self)

    def get(self, key: Hashable, generation: str | None) -> Any:
        if generation is None:
            return None
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            seen, stored_at, value = entry
            if seen != generation or time.monotonic() - stored_at > MAX_AGE:
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def set(self, key: Hashable, generation: str | None, value: Any) -> None:
        if generation is None:
            return
        with self._lock:
            self._data[key] = (generation, time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.limit:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


_tables: list[GenerationCache] = []


def _on_change(sender, **kwargs) -> None:
    changed()


def connect_signals(models) -> None:
    """Called from ``LadderConfig.ready`` with the cached kinds: their saves and deletes replace the
    generation.

    Version bumps are ``UPDATE`` statements without signals; ``ladder.models.bump_versions`` calls
    ``changed`` itself.
    """
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"pmladder-directory-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"pmladder-directory-delete-{model.__name__}")

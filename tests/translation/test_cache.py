"""The snapshot cache: a byte-bounded LRU in this process in front of Django's cache, which may be down."""

from __future__ import annotations

import logging

import pytest

from ladder.cache import LocalCache
from ladder.engine.snapshot import LadderSnapshot, LevelSnap
from ladder.translation import cache as snapshot_cache
from ladder.translation.cache import approximate_size, cached, local_snapshots, store


def ladder(levels: int) -> LadderSnapshot:
    snaps = [LevelSnap(i, f"Level {i}", None, "ic", i, i - 0.5, i + 0.5) for i in range(1, levels + 1)]
    return LadderSnapshot.build(key="co", framework="fw", version=1, levels=snaps, aliases=[])


def test_sizes_grow_with_levels_and_a_framework_counts_generously():
    assert approximate_size(ladder(8)) < approximate_size(object()) == 64 * 1024
    assert approximate_size(ladder(2)) < approximate_size(ladder(3))


def test_the_least_recently_used_snapshot_leaves_first_when_the_budget_is_spent():
    size = approximate_size(ladder(4))
    lru = LocalCache(budget_bytes=2 * size, size=approximate_size)
    lru.set("a", ladder(4))
    lru.set("b", ladder(4))
    assert lru.get("a") is not None  # "a" is now the most recently used
    lru.set("c", ladder(4))
    assert (lru.get("a") is not None, lru.get("b"), lru.get("c") is not None) == (True, None, True)
    assert lru.used == 2 * size and len(lru) == 2
    lru.set("c", ladder(4))  # replacing an entry does not count it twice
    assert lru.used == 2 * size
    lru.clear()
    assert (len(lru), lru.used, lru.get("a")) == (0, 0, None)


def test_one_snapshot_larger_than_the_budget_is_still_kept():
    lru = LocalCache(budget_bytes=1, size=approximate_size)
    lru.set("big", ladder(20))
    assert lru.get("big") is not None and len(lru) == 1


def test_both_tiers_are_filled_and_the_shared_one_refills_this_process():
    snap = ladder(3)
    store("snapshot:test", snap)
    local_snapshots.clear()
    assert cached("snapshot:test") == snap  # from the shared cache (a copy: it was pickled)
    assert local_snapshots.get("snapshot:test") is not None


@pytest.fixture
def cache_down(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(snapshot_cache.cache, "get", down)
    monkeypatch.setattr(snapshot_cache.cache, "set", down)


def test_an_unreachable_shared_cache_is_logged_and_passed_over(cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="pmladder.translation"):
        assert cached("snapshot:missing") is None
        store("snapshot:kept", ladder(2))
    assert cached("snapshot:kept") is not None  # this process still keeps it
    assert [r.getMessage() for r in caplog.records] == [
        "cache unavailable: snapshot snapshot:missing read from the database",
        "cache unavailable: snapshot snapshot:kept not stored",
    ]

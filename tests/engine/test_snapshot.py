"""Snapshots: the reference ladder built from a framework, ordering, and pickling for caches."""

from __future__ import annotations

import pickle
from datetime import date

from ladder.engine.constants import REFERENCE_KEY
from ladder.engine.levels import AliasSnap
from ladder.engine.resolve import resolve
from ladder.engine.snapshot import LadderSnapshot
from tests.engine.ladders import ENTERPRISE, FRAMEWORK, level

DAY = date(2025, 1, 1)


def test_framework_becomes_a_reference_ladder():
    ladder = FRAMEWORK.to_ladder(version=4)
    assert (ladder.key, ladder.framework, ladder.version) == (REFERENCE_KEY, "product-management", 4)
    assert ladder.is_reference
    # Rank by position, then ic before management: principal-pm before group-pm at position 4.
    assert [lv.reference_level for lv in ladder.levels] == [
        "apm",
        "pm",
        "senior-pm",
        "principal-pm",
        "group-pm",
        "director",
        "vp",
        "cpo",
    ]
    assert [lv.rank for lv in ladder.levels] == list(range(1, 9))
    director = ladder.level(906)
    assert (director.scale_from, director.scale_to, director.track) == (4.5, 5.5, "management")
    assert AliasSnap("Head of Product", 906) in ladder.aliases
    assert all(a.valid_from is None and a.valid_to is None for a in ladder.aliases)
    assert FRAMEWORK.ladder is FRAMEWORK.ladder  # built once


def test_levels_are_kept_in_rank_order_and_codes_are_normalised():
    snapshot = LadderSnapshot.build(
        key="x",
        framework="product-management",
        version=1,
        levels=[level(2, "B", 2.5, 3.5, code="ic 5", rank=5), level(1, "A", 1.5, 2.5, code="IC4", rank=4)],
    )
    assert [lv.id for lv in snapshot.levels] == [1, 2]
    assert snapshot.level_by_code("IC5").id == 2
    assert snapshot.level_by_code("ic-4").id == 1
    assert snapshot.level_by_code("IC6") is None


def test_snapshots_survive_pickling_with_a_fresh_index():
    resolve(ENTERPRISE, "Senoir Product Manger", as_of=DAY)  # fills the memo tables
    copy = pickle.loads(pickle.dumps(ENTERPRISE))
    assert copy == ENTERPRISE
    assert copy.index is not ENTERPRISE.index
    assert copy.index.token != ENTERPRISE.index.token  # memo entries are never shared by two indexes
    for title in ("Sr. PM", "Senoir Product Manger", "Product Owner", "L5"):
        assert resolve(copy, title, as_of=DAY) == resolve(ENTERPRISE, title, as_of=DAY)
    framework = pickle.loads(pickle.dumps(FRAMEWORK))
    assert framework == FRAMEWORK
    assert framework.get("vp") == FRAMEWORK.get("vp")
    assert framework.ladder == FRAMEWORK.ladder

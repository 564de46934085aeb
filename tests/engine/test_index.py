"""The lookup index of a snapshot: the tables it builds and the fuzzy candidates it keeps per day."""

from __future__ import annotations

from datetime import date, timedelta

from ladder.engine.constants import POOL_DAYS
from ladder.engine.levels import AliasSnap
from ladder.engine.resolve import resolve
from ladder.engine.snapshot import LadderSnapshot
from tests.engine.ladders import CODED, ENTERPRISE, level

DAY = date(2025, 1, 1)


def test_aliases_of_inactive_levels_are_ignored():
    snapshot = LadderSnapshot.build(
        key="x",
        framework="product-management",
        version=1,
        levels=[level(1, "Product Manager", 1.5, 2.5)],
        aliases=[AliasSnap("Ghost Title", 99)],
    )
    assert resolve(snapshot, "Ghost Title", as_of=DAY).code == "unresolved_title"
    assert "Ghost Title" not in snapshot.index.alias_exact
    assert [c.normalized for c in snapshot.index.static_candidates] == ["product manager"]


def test_a_title_spelt_as_in_the_ladder_is_answered_from_a_prebuilt_resolution():
    index = CODED.index
    assert "Product Manager" not in index.exact_resolutions  # shared by three levels: ambiguous
    hit = index.exact_resolutions["Product Director"]
    assert (hit.level.id, hit.basis, hit.score, hit.matched) == (45, "exact", 1.0, "Product Director")
    assert resolve(CODED, "Product Director", as_of=DAY) is hit


def test_the_fuzzy_candidates_of_a_day_are_those_valid_that_day():
    def aliases_on(day):
        return sorted(c.alias.title for c in ENTERPRISE.index.pool(day).candidates if c.alias is not None)

    undated = ["Lead Product Manager", "Sr. PM"]
    assert aliases_on(date(2014, 6, 1)) == sorted([*undated, "Product Lead"])
    assert aliases_on(date(2016, 6, 1)) == sorted([*undated, "Product Lead", "Product Owner"])
    assert aliases_on(date(2019, 6, 1)) == sorted([*undated, "Product Owner"])
    assert aliases_on(date(2020, 1, 1)) == sorted([*undated, "Senior Product Owner"])


def test_days_with_the_same_valid_aliases_share_one_pool_and_the_table_of_days_is_bounded():
    snapshot = LadderSnapshot.build(
        key="dated",
        framework="product-management",
        version=1,
        levels=[level(1, "Product Manager", 1.5, 2.5)],
        aliases=[AliasSnap("Product Owner", 1, valid_from=date(2020, 1, 1))],
    )
    index = snapshot.index
    days = [date(2019, 1, 1) + timedelta(days=i) for i in range(3 * POOL_DAYS)]
    pools = [index.pool(day) for day in days]
    assert len({id(pool) for pool in pools}) == 2  # before and from 2020
    assert len(index.pools_by_day) <= POOL_DAYS
    assert pools[0] is index.pool(days[0]) and pools[-1] is index.pool(days[-1])


def test_a_ladder_without_dated_aliases_has_one_pool_for_every_day():
    index = CODED.index
    assert index.pool(date(1990, 1, 1)) is index.pool(DAY) is index.static_pool
    assert not index.pools_by_day

"""Engine snapshots from the database: what a level becomes, how many queries, and when one is rebuilt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ladder import services
from ladder.choices import Anchor
from ladder.models import Level
from ladder.services import LevelInput
from ladder.translation.ladders import LadderRef, readable_ladders
from ladder.translation.snapshots import (
    cached_framework_snapshot,
    ladder_snapshots,
    level_snap,
    snapshots_of,
    version_snapshots,
)
from tests.conftest import count_queries
from tests.factories import CompanyFactory
from tests.translation.helpers import ladder_of, member_of


@pytest.fixture
def ladders(framework, org):
    first = ladder_of(
        CompanyFactory(organization=org, slug="first"), framework, ("PM", "pm"), ("Senior PM", "senior-pm")
    )
    second = ladder_of(CompanyFactory(organization=org, slug="second"), framework, ("Lead PM", "senior-pm"))
    return [first, second]


def refs(ladders) -> list[LadderRef]:
    return [LadderRef.of(ladder) for ladder in ladders]


def test_a_level_on_the_scale_and_one_that_cannot_be_placed(ladders):
    level = Level.objects.select_related("reference_level").get(title="Senior PM")
    snap = level_snap(level)
    assert (snap.id, snap.title, snap.track, snap.reference_level) == (level.pk, "Senior PM", "ic", "senior-pm")
    assert (snap.scale_from, snap.scale_to) == tuple(float(x) for x in level.interval)
    assert snap.inferred is False
    level.reference_level = None
    level.anchor = Anchor.INFERRED
    assert level_snap(level) is None  # neither an anchor nor a span


def test_snapshots_of_several_ladders_take_two_queries_then_none(ladders):
    snaps, cold = count_queries(lambda: ladder_snapshots(refs(ladders)))
    assert cold == 2  # the levels and the aliases of every ladder at once
    assert [[lv.title for lv in snaps[ladder.pk].levels] for ladder in ladders] == [["PM", "Senior PM"], ["Lead PM"]]
    assert snaps[ladders[0].pk].key == "first"
    again, warm = count_queries(lambda: ladder_snapshots(refs(ladders)))
    assert again == snaps
    assert warm == 0


def test_a_changed_ladder_gets_a_new_snapshot(ladders, framework):
    before = ladder_snapshots(refs(ladders[:1]))[ladders[0].pk]
    changed = ladder_of(ladders[0].company, framework, ("PM", "pm"), ("Staff PM", "principal-pm"))
    after = ladder_snapshots(refs([changed]))[changed.pk]
    assert [lv.title for lv in before.levels] == ["PM", "Senior PM"]
    assert [lv.title for lv in after.levels] == ["PM", "Staff PM"]


def test_a_ladder_without_versions_answers_as_it_stands_for_a_day(ladders):
    current = snapshots_of(refs(ladders), versioned=False)
    assert version_snapshots(refs(ladders)) == current
    assert snapshots_of(refs(ladders), versioned=True) == current


def test_the_version_in_effect_on_a_day(ladders, framework):
    company = ladders[0].company
    later = date.today() + timedelta(days=30)
    pm = framework.reference_levels.get(slug="pm")
    services.schedule_document(
        company=company, framework=framework, levels=[LevelInput(title="PM", reference_level=pm)], effective_from=later
    )
    caller = member_of(company.organization)
    (now,) = readable_ladders(caller, {company.slug}, None, date.today())
    (then,) = readable_ladders(caller, {company.slug}, None, later)
    assert now.version_key != then.version_key  # "number:revision" of the version in effect that day
    assert [lv.title for lv in version_snapshots([now])[now.pk].levels] == ["PM", "Senior PM"]
    scheduled = version_snapshots([then])[then.pk]
    assert [lv.title for lv in scheduled.levels] == ["PM"]  # Senior PM leaves the ladder on that day
    assert [lv.title for lv in ladder_snapshots([then])[then.pk].levels] == ["PM", "Senior PM"]
    again, queries = count_queries(lambda: version_snapshots([then])[then.pk])
    assert again is scheduled
    assert queries == 0


def test_the_framework_snapshot_is_cached(framework):
    first = cached_framework_snapshot(framework)
    assert first.slug == "product-management" and first.reference_levels
    again, warm = count_queries(lambda: cached_framework_snapshot(framework))
    assert again is first
    assert warm == 0

"""Single-level writes: inferred anchors, one version bump a change, history, deactivation."""

from __future__ import annotations

import pytest

from ladder import services
from ladder.choices import Anchor
from ladder.exceptions import FieldErrors
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level
from tests.factories import ladder_with_levels


def test_level_create_makes_the_ladder_and_infers_the_anchor(company, framework):
    last = ChangeRecord.objects.order_by("pk").last().pk
    level = services.level_create(company=company, framework=framework, changes={"title": "Senior Product Manager"})
    assert level.ladder.company_id == company.pk
    assert level.anchor == Anchor.INFERRED and level.reference_level.slug == "senior-pm"
    assert level.rank == 1
    assert set(ChangeRecord.objects.filter(pk__gt=last, action="create").values_list("object_type", flat=True)) == {
        "ladder",
        "level",
    }


def test_a_given_anchor_is_explicit(company, framework):
    vp = framework.reference_levels.get(slug="vp")
    level = services.level_create(
        company=company, framework=framework, changes={"title": "Head of Product", "reference_level": vp}
    )
    assert (level.anchor, level.reference_level_id) == (Anchor.EXPLICIT, vp.pk)


def test_level_save_bumps_the_level_and_the_ladder_once_a_change(company, framework):
    ladder = ladder_with_levels(company, framework)
    level = ladder.levels.order_by("rank").first()
    ladder_version = ladder.version
    saved = services.level_save(level=level, changes={"description": "Owns an area."})
    assert saved.version == level.version + 1
    assert Ladder.objects.get(pk=ladder.pk).version == ladder_version + 1
    record = ChangeRecord.objects.get(object_type="level", object_id=level.pk, action="update")
    assert (record.before, record.after) == ({"description": ""}, {"description": "Owns an area."})
    versions = LadderVersion.objects.filter(ladder=ladder).count()
    unchanged = services.level_save(level=saved, changes={"description": "Owns an area."})
    assert unchanged.version == saved.version
    assert Ladder.objects.get(pk=ladder.pk).version == ladder_version + 1
    assert LadderVersion.objects.filter(ladder=ladder).count() == versions


def test_level_save_refuses_a_code_taken_in_the_ladder(company, framework):
    first, second = ladder_with_levels(company, framework, 2).levels.order_by("rank")
    with pytest.raises(FieldErrors) as exc:
        services.level_save(level=second, changes={"code": first.code})
    assert "code" in {e["field"] for e in exc.value.errors}
    assert Level.objects.get(pk=second.pk).code == second.code


def test_level_deactivate_keeps_the_level_and_is_idempotent(company, framework):
    ladder = ladder_with_levels(company, framework)
    level = ladder.levels.first()
    services.level_deactivate(level=level)
    again = services.level_deactivate(level=level)
    assert not again.is_active and again.version == level.version + 1
    assert Level.objects.filter(pk=level.pk).exists()
    record = ChangeRecord.objects.get(object_type="level", object_id=level.pk, action="update")
    assert (record.before, record.after) == ({"is_active": True}, {"is_active": False})

"""The ladder document service: created, unchanged and changed writes."""

from __future__ import annotations

from ladder import services
from ladder.models import ChangeRecord, Ladder
from ladder.services import AliasInput, LevelInput


def _levels(framework, description=""):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    return [
        LevelInput(title="Product Manager", code="L4", reference_level=refs["pm"], aliases=[AliasInput(title="PM")]),
        LevelInput(
            title="Senior Product Manager", code="L5", reference_level=refs["senior-pm"], description=description
        ),
    ]


def test_a_first_put_creates_the_ladder(company, framework):
    last = ChangeRecord.objects.order_by("pk").last().pk
    result = services.ladder_document_put(company=company, framework=framework, levels=_levels(framework))
    assert result.created and result.changed
    assert [lv.code for lv in result.ladder.levels.order_by("rank")] == ["L4", "L5"]
    assert set(ChangeRecord.objects.filter(pk__gt=last).values_list("object_type", flat=True)) == {
        "ladder",
        "level",
        "alias",
    }


def test_the_same_document_again_changes_nothing(company, framework):
    first = services.ladder_document_put(company=company, framework=framework, levels=_levels(framework))
    records = ChangeRecord.objects.count()
    again = services.ladder_document_put(company=company, framework=framework, levels=_levels(framework))
    assert not again.created and not again.changed
    assert again.ladder.version == first.ladder.version
    assert ChangeRecord.objects.count() == records


def test_a_changed_document_bumps_the_version_once(company, framework):
    first = services.ladder_document_put(company=company, framework=framework, levels=_levels(framework))
    changed = services.ladder_document_put(
        company=company, framework=framework, levels=_levels(framework, description="Owns an area.")
    )
    assert changed.changed and not changed.created
    assert Ladder.objects.get(pk=first.ladder.pk).version == first.ladder.version + 1
    assert ChangeRecord.objects.filter(object_type="level", action="update").count() == 1


def test_levels_left_out_are_deactivated(company, framework):
    services.ladder_document_put(company=company, framework=framework, levels=_levels(framework))
    result = services.ladder_document_put(company=company, framework=framework, levels=_levels(framework)[:1])
    assert result.changed
    assert dict(result.ladder.levels.values_list("code", "is_active")) == {"L4": True, "L5": False}

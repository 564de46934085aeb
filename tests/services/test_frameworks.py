"""Framework services: saving and deleting frameworks, moving rungs and what that does to anchored ladders."""

from __future__ import annotations

import pytest

from ladder import services
from ladder.exceptions import FieldErrors
from ladder.models import ChangeRecord, Framework, Ladder, ReferenceLevel
from ladder.translation.cache import local_snapshots
from tests.factories import CompanyFactory, ladder_with_levels


def test_moving_a_reference_level_renews_etags_and_translations(write_client, doc, company):
    url, _ = doc
    etag = write_client.get(url)["ETag"]
    local_snapshots.clear()
    before = write_client.get(
        "/api/v1/translate", {"source": company.slug, "target": "reference", "title": "Senior Product Manager"}
    ).json()["results"][0]
    assert before["target_level"]["title"] == "Senior Product Manager"
    senior = ReferenceLevel.objects.get(slug="senior-pm")
    senior.position = 4
    services.reference_level_save(reference_level=senior)
    after_doc = write_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after_doc.status_code == 200 and after_doc["ETag"] != etag
    assert after_doc.json()["levels"][1]["scale_from"] == 3.5


def test_framework_save_creates_a_framework_with_its_rungs_and_history(db):
    framework = services.framework_save(
        framework=Framework(),
        values={"slug": "design", "name": "Design"},
        reference_levels=[
            {"slug": "designer", "name": "Designer", "track": "ic", "position": 1, "focus_hands_on": 90},
            {
                "slug": "senior-designer",
                "name": "Senior Designer",
                "track": "ic",
                "position": 2,
                "focus_hands_on": 80,
                "promotes_to": [],
            },
        ],
    )
    assert list(framework.reference_levels.order_by("position").values_list("slug", flat=True)) == [
        "designer",
        "senior-designer",
    ]
    created = ChangeRecord.objects.filter(action="create").values_list("object_type", flat=True)
    assert sorted(created) == ["framework", "reference_level", "reference_level"]


def test_framework_save_refuses_to_remove_a_rung_a_level_anchors_to(company, framework):
    ladder_with_levels(company, framework, 1)  # anchored on "pm"
    kept = [
        {"slug": rl.slug, "name": rl.name, "track": rl.track, "position": rl.position}
        for rl in framework.reference_levels.exclude(slug="pm")
    ]
    with pytest.raises(FieldErrors) as exc:
        services.framework_save(framework=framework, values={}, reference_levels=kept)
    assert [(e["field"], e["code"]) for e in exc.value.errors] == [("reference_levels", "in_use")]
    assert framework.reference_levels.filter(slug="pm").exists()


def test_framework_delete_refuses_a_framework_in_use(company, framework):
    ladder_with_levels(company, framework, 1)
    with pytest.raises(FieldErrors) as exc:
        services.framework_delete(framework=framework)
    assert exc.value.errors[0]["code"] == "in_use"
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_framework_delete_removes_an_unused_framework(db):
    framework = services.framework_save(framework=Framework(), values={"slug": "x", "name": "X"}, reference_levels=[])
    services.framework_delete(framework=framework)
    assert not Framework.objects.filter(slug="x").exists()
    assert ChangeRecord.objects.filter(object_type="framework", action="delete").count() == 1


def test_moving_a_rung_bumps_only_the_ladders_anchored_to_it(org, framework):
    anchored = ladder_with_levels(CompanyFactory(organization=org), framework, 1)  # on "pm"
    other = ladder_with_levels(CompanyFactory(organization=org), framework, 1)
    other_level = other.levels.get()
    services.level_save(level=other_level, changes={"reference_level": framework.reference_levels.get(slug="vp")})
    versions = {ladder.pk: Ladder.objects.get(pk=ladder.pk).version for ladder in (anchored, other)}
    pm = ReferenceLevel.objects.get(framework=framework, slug="pm")
    old_position = pm.position
    pm.position = 20
    services.reference_level_save(reference_level=pm)
    assert Ladder.objects.get(pk=anchored.pk).version == versions[anchored.pk] + 1
    assert Ladder.objects.get(pk=other.pk).version == versions[other.pk]
    record = ChangeRecord.objects.get(object_type="ladder", object_id=anchored.pk, action="update")
    assert record.after["reference_level:pm"]["position"] == pm.position
    assert record.before["reference_level:pm"]["position"] == old_position


def test_saving_a_rung_without_moving_it_bumps_no_ladder(company, framework):
    ladder = ladder_with_levels(company, framework, 1)
    version = Ladder.objects.get(pk=ladder.pk).version
    pm = ReferenceLevel.objects.get(framework=framework, slug="pm")
    pm.name = "Product Manager (renamed)"
    services.reference_level_save(reference_level=pm)
    assert Ladder.objects.get(pk=ladder.pk).version == version
    assert ChangeRecord.objects.filter(object_type="reference_level", action="update").count() == 1


def test_every_competency_write_counts_as_a_change_of_its_framework(framework):
    from ladder.models import Competency

    def stamp():
        return Framework.objects.values_list("updated_at", flat=True).get(pk=framework.pk)

    stamps = [stamp()]
    competency = services.competency_save(
        competency=Competency(framework=framework, slug="storytelling"), values={"name": "Storytelling", "kind": "soft"}
    )
    stamps.append(stamp())
    services.competency_save(competency=competency, values={"name": "Narrative"})
    stamps.append(stamp())
    services.competency_delete(competency=competency)
    stamps.append(stamp())
    assert stamps == sorted(set(stamps)), stamps  # four different times, each later than the one before

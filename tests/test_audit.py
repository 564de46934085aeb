"""The change history (``ladder.audit``): who is credited with a change, and which values it keeps."""

from __future__ import annotations

import pytest

from ladder import audit, services
from ladder.models import ChangeRecord, Level
from ladder.services import LevelInput


def test_acting_credits_a_block_and_restores_the_actor_even_after_an_error():
    assert audit.current_actor() == audit.SYSTEM
    author = audit.Actor(label="api-key:hris-sync", api_key_id="abc", request_id="r-1")
    with audit.acting(author):
        assert audit.current_actor() == author
        with audit.acting_as("fixtures:demo"):
            assert audit.current_actor() == audit.Actor(label="fixtures:demo")
        assert audit.current_actor() == author
        with pytest.raises(RuntimeError), audit.acting_as("fixtures:catalog"):
            raise RuntimeError
        assert audit.current_actor() == author
    assert audit.current_actor() == audit.SYSTEM


def test_a_level_is_recorded_with_all_its_fields(company, framework):
    pm = framework.reference_levels.get(slug="pm")
    with audit.acting_as("user:hr-admin"):
        services.ladder_document_put(
            company=company, framework=framework, levels=[LevelInput(title="Product Manager", reference_level=pm)]
        )
    level = Level.objects.get()
    record = ChangeRecord.objects.get(object_type="level", object_id=level.pk, action="create")
    assert record.actor == "user:hr-admin"
    assert set(record.after) == {
        "title",
        "code",
        "track",
        "rank",
        "reference_level_id",
        "anchor",
        "scale_from",
        "scale_to",
        "description",
        "external_id",
        "is_active",
        "provenance",
    }
    assert record.after["reference_level_id"] == pm.pk

"""Single-alias writes: the level's version follows its aliases, collisions are refused, deletes recorded."""

from __future__ import annotations

import pytest

from ladder import services
from ladder.exceptions import FieldErrors
from ladder.models import ChangeRecord, Level, TitleAlias
from tests.factories import ladder_with_levels


def test_alias_save_creates_and_bumps_the_level(company, framework):
    level = ladder_with_levels(company, framework, 1).levels.get()
    alias = services.alias_save(alias=TitleAlias(), changes={"level": level, "title": "Prod Mgr"})
    assert alias.title_normalized and alias.ladder_id == level.ladder_id
    assert Level.objects.get(pk=level.pk).version == level.version + 1
    assert ChangeRecord.objects.filter(object_type="alias", object_id=alias.pk, action="create").exists()


def test_alias_save_without_a_change_records_nothing(company, framework):
    alias = ladder_with_levels(company, framework, 1).levels.get().aliases.get()
    records = ChangeRecord.objects.count()
    same = services.alias_save(alias=alias, changes={"title": alias.title})
    assert same.version == alias.version
    assert ChangeRecord.objects.count() == records


def test_alias_save_refuses_a_title_another_level_holds(company, framework):
    first, second = ladder_with_levels(company, framework, 2).levels.order_by("rank")
    with pytest.raises(FieldErrors) as exc:
        services.alias_save(alias=TitleAlias(), changes={"level": second, "title": first.aliases.get().title})
    assert [(e["field"], e["code"]) for e in exc.value.errors] == [("title", "duplicate_alias")]


def test_alias_delete_records_it_and_bumps_the_level(company, framework):
    level = ladder_with_levels(company, framework, 1).levels.get()
    alias = level.aliases.get()
    services.alias_delete(alias=alias)
    assert not TitleAlias.objects.filter(pk=alias.pk).exists()
    assert Level.objects.get(pk=level.pk).version == level.version + 1
    assert ChangeRecord.objects.filter(object_type="alias", object_id=alias.pk, action="delete").exists()

"""Archiving companies and ladders: hidden with everything kept, one history record a change, restorable."""

from __future__ import annotations

from ladder import services
from ladder.models import ChangeRecord, Company, Ladder, Level, TitleAlias
from tests.factories import ladder_with_levels


def _records(object_type, action):
    return ChangeRecord.objects.filter(object_type=object_type, action=action).count()


def test_ladder_archive_keeps_the_levels_and_is_recorded_once(company, framework):
    ladder = ladder_with_levels(company, framework)
    counts = (Level.objects.count(), TitleAlias.objects.count())
    version = ladder.version
    services.ladder_archive(ladder=ladder)
    services.ladder_archive(ladder=ladder)  # a repeated delete changes nothing
    ladder.refresh_from_db()
    assert ladder.archived_at is not None and ladder.version == version + 1
    assert (Level.objects.count(), TitleAlias.objects.count()) == counts
    assert _records("ladder", "archive") == 1


def test_ladder_restore_brings_the_ladder_back_once(company, framework):
    ladder = ladder_with_levels(company, framework)
    services.ladder_archive(ladder=ladder)
    restored = services.ladder_restore(ladder=ladder)
    services.ladder_restore(ladder=ladder)
    assert restored.archived_at is None
    assert Ladder.objects.get(pk=ladder.pk).archived_at is None
    assert _records("ladder", "restore") == 1


def test_archiving_a_ladder_bumps_its_companys_version(company, framework):
    ladder = ladder_with_levels(company, framework)
    before = Company.objects.get(pk=company.pk).version
    services.ladder_archive(ladder=ladder)
    assert Company.objects.get(pk=company.pk).version == before + 1


def test_company_archive_and_restore(company, framework):
    ladder_with_levels(company, framework)
    services.company_archive(company=company)
    services.company_archive(company=company)
    assert Company.objects.get(pk=company.pk).archived_at is not None
    assert _records("company", "archive") == 1
    restored = services.company_restore(company=company)
    assert restored.archived_at is None
    assert _records("company", "restore") == 1
    assert company.ladders.get().levels.count() == 3

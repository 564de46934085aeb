"""Ladder invariants (DESIGN §2): enforced by the database, and explained by Python validation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ladder import services
from ladder.exceptions import FieldErrors
from ladder.models import Framework, Ladder, Level, ReferenceLevel, TitleAlias
from tests.factories import CompanyFactory, LevelFactory


@pytest.fixture
def ladder(framework):
    return Ladder.objects.create(company=CompanyFactory(), framework=framework)


def _db_rejects(obj) -> None:
    """Saving ``obj`` without Python validation must fail in the database itself."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_two_uncoded_levels_with_the_same_normalised_title_are_rejected(ladder):
    Level.objects.create(ladder=ladder, title="Senior Product Manager", rank=1)
    clash = Level(ladder=ladder, title="Sr. PM", rank=2)
    _db_rejects(clash)
    with pytest.raises(ValidationError) as err:
        clash.full_clean()
    assert "code" in err.value.message_dict


def test_levels_sharing_a_title_with_distinct_codes_are_accepted(ladder):
    Level.objects.create(ladder=ladder, title="Product Manager", code="IC4", rank=1)
    other = Level(ladder=ladder, title="Product Manager", code="IC5", rank=2)
    other.full_clean()
    other.save()
    assert ladder.levels.filter(title_normalized="product manager").count() == 2


def test_a_coded_and_an_uncoded_level_may_not_share_a_title(ladder):
    Level.objects.create(ladder=ladder, title="Product Manager", code="IC4", rank=1)
    uncoded = Level(ladder=ladder, title="Product Manager", rank=2)
    uncoded.full_clean()  # a rule across rows: the rule book's, asked by every write path
    with pytest.raises(FieldErrors) as err:
        services.level_validate(uncoded)
    assert [(e["field"], e["code"]) for e in err.value.errors] == [("code", "duplicate_title")]


def test_duplicate_code_in_a_ladder_is_rejected(ladder):
    Level.objects.create(ladder=ladder, title="Product Manager", code="L4", rank=1)
    clash = Level(ladder=ladder, title="Senior Product Manager", code="l4", rank=2)
    _db_rejects(clash)
    with pytest.raises(ValidationError):
        clash.full_clean()


def test_the_same_code_in_two_ladders_is_fine(framework):
    a = Ladder.objects.create(company=CompanyFactory(), framework=framework)
    b = Ladder.objects.create(company=CompanyFactory(), framework=framework)
    Level.objects.create(ladder=a, title="Product Manager", code="L4", rank=1)
    Level.objects.create(ladder=b, title="Product Manager", code="L4", rank=1)
    assert Level.objects.filter(code="L4").count() == 2


@pytest.mark.parametrize(("scale_from", "scale_to"), [(3.5, 3.5), (4.0, 2.0)])
def test_scale_from_must_be_below_scale_to(ladder, scale_from, scale_to):
    bad = Level(ladder=ladder, title="Head of Product", rank=1, scale_from=scale_from, scale_to=scale_to)
    _db_rejects(bad)
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "scale_to" in err.value.message_dict


def test_half_a_span_is_rejected(ladder):
    _db_rejects(Level(ladder=ladder, title="Head of Product", rank=1, scale_from=3.5))


def test_anchor_from_another_framework_is_rejected(ladder):
    other = Framework.objects.create(slug="engineering", name="Engineering")
    foreign = ReferenceLevel.objects.create(
        framework=other, slug="senior-engineer", name="Senior Engineer", track="ic", position=3, focus_hands_on=70
    )
    with pytest.raises(ValidationError) as err:
        Level(ladder=ladder, title="Senior Product Manager", rank=1, reference_level=foreign).full_clean()
    assert "reference_level" in err.value.message_dict


def test_two_current_aliases_with_the_same_normalised_title_are_rejected(ladder):
    a = Level.objects.create(ladder=ladder, title="Senior Product Manager", rank=1)
    b = Level.objects.create(ladder=ladder, title="Group Product Manager", rank=2)
    TitleAlias.objects.create(level=a, title="Sr. Product Lead")
    clash = TitleAlias(level=b, title="Senior Product Lead")
    _db_rejects(clash)
    with pytest.raises(ValidationError) as err:
        clash.full_clean()
    assert "title" in err.value.message_dict


def test_a_past_alias_may_repeat_a_current_one(ladder):
    a = Level.objects.create(ladder=ladder, title="Senior Product Manager", rank=1)
    b = Level.objects.create(ladder=ladder, title="Group Product Manager", rank=2)
    TitleAlias.objects.create(level=a, title="Product Lead")
    old = TitleAlias(level=b, title="Product Lead", valid_from=date(2019, 1, 1), valid_to=date(2022, 1, 1))
    old.full_clean()
    old.save()
    assert old.ladder_id == ladder.pk


def test_an_alias_may_not_name_another_level(ladder):
    Level.objects.create(ladder=ladder, title="Senior Product Manager", rank=1)
    b = Level.objects.create(ladder=ladder, title="Group Product Manager", rank=2)
    with pytest.raises(FieldErrors) as err:
        services.alias_validate(TitleAlias(level=b, title="Sr. PM"))
    assert [(e["field"], e["code"]) for e in err.value.errors] == [("title", "alias_names_other_level")]


def test_alias_window_must_be_ordered(ladder):
    level = Level.objects.create(ladder=ladder, title="Senior Product Manager", rank=1)
    _db_rejects(TitleAlias(level=level, title="Old", valid_from=date(2024, 1, 1), valid_to=date(2023, 1, 1)))


def test_levels_and_aliases_store_the_normalised_title(ladder):
    level = LevelFactory(ladder=ladder, title="Sr. Product Mgr - Payments", code=" ic5 ")
    assert level.title_normalized == "senior product manager"
    # The code is kept as written (only surrounding space goes); its canonical form is beside it.
    assert (level.code, level.code_canonical) == ("ic5", "IC5")
    alias = TitleAlias.objects.create(level=level, title="Snr PM")
    assert alias.title_normalized == "senior product manager"


def test_ladder_is_unique_per_company_and_framework(ladder):
    _db_rejects(Ladder(company=ladder.company, framework=ladder.framework))

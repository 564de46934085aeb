"""Loading companies (``ladder.fixtures_loader.companies``): the demo set, loaded once however often it
is loaded, and what people archived stays archived."""

from __future__ import annotations

import pytest

from ladder.fixtures_loader import load_companies, load_demo_fixtures, load_reference_fixtures
from ladder.models import Company, Level, ReferenceLevel, TitleAlias


def test_demo_companies_load_and_loading_twice_duplicates_nothing(framework):
    companies = load_demo_fixtures()
    assert len(companies) >= 5
    counts = (Company.objects.count(), Level.objects.count(), TitleAlias.objects.count())
    versions = {c.slug: c.ladders.get().version for c in Company.objects.all()}
    load_reference_fixtures()
    load_demo_fixtures()
    assert (Company.objects.count(), Level.objects.count(), TitleAlias.objects.count()) == counts
    assert {c.slug: c.ladders.get().version for c in Company.objects.all()} == versions
    assert ReferenceLevel.objects.count() == 8


def test_demo_set_has_the_shapes_the_product_needs(demo):
    sizes = {c.size_band for c in demo.values()}
    assert {"startup", "scaleup", "enterprise"} <= sizes
    assert any(c.is_public for c in demo.values())
    startup = next(c for c in demo.values() if c.size_band == "startup")
    startup_levels = list(startup.ladders.get().levels.all())
    assert len(startup_levels) == 3
    assert any(lv.interval and lv.interval[1] - lv.interval[0] > 1.5 for lv in startup_levels)
    enterprise = demo["globex"].ladders.get().levels.all()
    assert enterprise.count() >= 10
    assert {"ic", "management"} <= {lv.track for lv in enterprise if lv.code}
    shared = enterprise.filter(title="Product Manager")
    assert shared.count() >= 2 and all(lv.code for lv in shared)
    assert TitleAlias.objects.filter(valid_to__isnull=False).exists()


def test_loading_twice_changes_nothing(demo):
    before = list(Level.objects.order_by("pk").values_list("pk", "version"))
    companies = load_demo_fixtures()
    assert {c.slug for c in companies} == set(demo)
    assert list(Level.objects.order_by("pk").values_list("pk", "version")) == before


@pytest.mark.parametrize("archived", [True])
def test_an_archived_company_stays_archived(demo, demo_data, archived):
    from ladder import services

    services.company_archive(company=demo["acme"])
    _, report = load_companies(demo_data, "demo")
    assert Company.objects.get(slug="acme").archived_at is not None
    assert any("company:acme (archived" in line for line in report.kept)

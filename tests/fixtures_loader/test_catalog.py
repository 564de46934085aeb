"""The open catalog of real companies' PM ladders: sourced, loadable, public, and it translates."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

import pytest
from django.conf import settings

from ladder.fixtures_loader import CATALOG_ORGANIZATION, CATALOG_PATH, catalog_problems, load_catalog_fixtures
from ladder.models import Company, Level

SAMPLE = Path(__file__).parents[1] / "data" / "catalog_sample.json"
DOCS = Path(settings.BASE_DIR) / "docs" / "catalog.md"

needs_catalog = pytest.mark.skipif(not CATALOG_PATH.exists(), reason="fixtures/catalog.json is not in this checkout")


def _data(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_checks_catch_a_level_without_a_source():
    data = _data(SAMPLE)
    assert catalog_problems(data) == []
    broken = copy.deepcopy(data)
    level = broken["organizations"][0]["companies"][0]["ladders"][0]["levels"][0]
    level["provenance"] = {"sources": [], "note": "", "disagreements": []}
    broken["organizations"][0]["companies"][1]["is_public"] = False
    del broken["catalog_version"]
    problems = catalog_problems(broken)
    assert any("no provenance source" in p for p in problems)
    assert any("is_public must be true" in p for p in problems)
    assert any("catalog_version" in p for p in problems)


def test_the_sample_catalog_loads_with_its_provenance(framework):
    reports = []
    companies = load_catalog_fixtures(reports, path=SAMPLE)
    assert {c.slug for c in companies} == {"alpha-corp", "beta-gmbh", "gamma-bank"}
    assert reports[0].errors == [] and reports[0].fixture == "catalog test-1"
    level = Level.objects.get(ladder__company__slug="alpha-corp", code="L6")
    assert level.provenance["disagreements"] == [{"url": "https://example.org/b", "claim": "L6 is Lead PM"}]
    assert Company.objects.get(slug="beta-gmbh").sources[0]["title"] == "Beta levelling write-up"
    again = []
    load_catalog_fixtures(again, path=SAMPLE)
    assert again[0].created == [] and again[0].updated == []


@needs_catalog
def test_every_catalog_level_has_a_source():
    data = _data(CATALOG_PATH)
    assert catalog_problems(data) == []
    companies = [c for org in data["organizations"] for c in org["companies"]]
    assert len(companies) >= 15
    assert {org["slug"] for org in data["organizations"]} == {CATALOG_ORGANIZATION}
    for company in companies:
        for ladder in company["ladders"]:
            for level in ladder["levels"]:
                assert level["provenance"]["sources"], (company["slug"], level["title"])


@needs_catalog
def test_the_catalog_loads_and_translates(framework, read_client):
    reports = []
    companies = load_catalog_fixtures(reports)
    assert reports[0].errors == [], reports[0].errors
    assert len(companies) >= 15
    assert all(c.is_public and c.organization.slug == CATALOG_ORGANIZATION for c in companies)
    assert not Level.objects.filter(ladder__company__in=companies, provenance={}).exists()
    # Every level of every catalog ladder resolves as itself and lands on the reference scale, and
    # every two neighbours in the catalog translate into each other.
    for company in companies:
        levels = list(Level.objects.filter(ladder__company=company, is_active=True))
        items = [{"title": lv.title, "code": lv.code} for lv in levels]
        answer = read_client.post(
            "/api/v1/translate", {"source": company.slug, "target": "reference", "titles": items}, format="json"
        ).json()
        assert answer["summary"]["unresolved"] == 0, (company.slug, answer["results"])
        assert [r["source_level"]["id"] for r in answer["results"]] == [lv.pk for lv in levels]
    for source, target in itertools.pairwise(companies):
        levels = list(Level.objects.filter(ladder__company=source, is_active=True))
        answer = read_client.post(
            "/api/v1/translate",
            {
                "source": source.slug,
                "target": target.slug,
                "titles": [{"title": lv.title, "code": lv.code} for lv in levels],
            },
            format="json",
        ).json()
        assert answer["summary"]["translated"] == len(levels), (source.slug, target.slug)
    again = []
    load_catalog_fixtures(again)
    assert again[0].created == [] and again[0].updated == [] and again[0].errors == []


@needs_catalog
def test_the_sources_page_lists_every_catalog_company():
    assert DOCS.exists(), "docs/catalog.md lists the catalog's sources"
    text = DOCS.read_text(encoding="utf-8")
    for org in _data(CATALOG_PATH)["organizations"]:
        for company in org["companies"]:
            assert company["name"] in text, company["name"]

"""The open catalog (``fixtures/catalog.json``): real companies' public ladders, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ladder.fixtures_loader.companies import load_companies
from ladder.fixtures_loader.state import FIXTURES_DIR, LoadReport, read_json
from ladder.models import Company

CATALOG_ORGANIZATION = "open-data"
CATALOG_PATH = FIXTURES_DIR / "catalog.json"


def catalog_problems(data: dict[str, Any]) -> list[str]:
    """What keeps a catalog file from being trustworthy: missing versions, sources or provenance."""
    problems = []
    for name in ("catalog_version", "read_on"):
        if not data.get(name):
            problems.append(f'top level: "{name}" is missing')
    orgs = data.get("organizations") or []
    if [o.get("slug") for o in orgs] != [CATALOG_ORGANIZATION]:
        problems.append(f'the catalog belongs to the "{CATALOG_ORGANIZATION}" organization only')
    for org in orgs:
        for company in org.get("companies", []):
            where = f"company {company.get('slug')}"
            if company.get("is_public") is not True:
                problems.append(f"{where}: is_public must be true")
            if not company.get("sources"):
                problems.append(f"{where}: no sources")
            for source in company.get("sources", []):
                if not source.get("url") or not source.get("read_on"):
                    problems.append(f"{where}: a source without url or read_on")
            for ladder in company.get("ladders", []):
                if not ladder.get("levels"):
                    problems.append(f"{where}: a ladder without levels")
                for level in ladder.get("levels", []):
                    lwhere = f"{where}, level {level.get('title')!r}"
                    sources = (level.get("provenance") or {}).get("sources") or []
                    if not sources:
                        problems.append(f"{lwhere}: no provenance source")
                    for source in sources:
                        if not source.get("url") or not source.get("read_on"):
                            problems.append(f"{lwhere}: a source without url or read_on")
    return problems


def load_catalog_fixtures(reports: list[LoadReport] | None = None, path: Path | None = None) -> list[Company]:
    """Load the open catalog (``fixtures/catalog.json``); a missing file is reported, not an error."""
    path = path or CATALOG_PATH
    if not path.exists():
        report = LoadReport(fixture="catalog")
        report.notes.append(f"fixtures/{path.name} not found: the open catalog was not loaded")
        if reports is not None:
            reports.append(report)
        return []
    data = read_json(path)
    companies, report = load_companies(data, "catalog")
    report.fixture = f"catalog {data.get('catalog_version', '(no version)')}"
    report.errors.extend(f"check: {p}" for p in catalog_problems(data))
    if reports is not None:
        reports.append(report)
    return companies

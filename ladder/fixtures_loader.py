"""Loading the JSON fixtures in ``fixtures/``: reference frameworks and the demo data set.

Loading is an upsert keyed by slugs (and, for ladders, by the ladder document rules), so running it
again changes nothing and duplicates nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ladder.models import Company, Competency, ExpectedProficiency, Framework, Organization, ReferenceLevel
from ladder.services import AliasInput, LevelInput, put_ladder_document

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@transaction.atomic
def load_framework(data: dict[str, Any]) -> Framework:
    """Upsert one framework with its competencies, reference levels and expected proficiencies."""
    framework, _ = Framework.objects.update_or_create(
        slug=data["slug"], defaults={"name": data["name"], "description": data.get("description", "")}
    )
    competencies = {}
    for item in data.get("competencies", []):
        competencies[item["slug"]], _ = Competency.objects.update_or_create(
            framework=framework,
            slug=item["slug"],
            defaults={"name": item["name"], "kind": item["kind"], "description": item.get("description", "")},
        )
    levels = {}
    for item in data["reference_levels"]:
        level, _ = ReferenceLevel.objects.update_or_create(
            framework=framework,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "track": item["track"],
                "position": item["position"],
                "focus_hands_on": item["focus_hands_on"],
                "summary": item.get("summary", ""),
                "responsibilities": item.get("responsibilities", []),
                "common_aliases": item.get("common_aliases", []),
                "reports_to": item.get("reports_to", ""),
            },
        )
        level.full_clean()
        levels[item["slug"]] = level
    for item in data["reference_levels"]:
        level = levels[item["slug"]]
        level.promotes_to.set([levels[s] for s in item.get("promotes_to", [])])
        for slug, proficiency in item.get("competencies", {}).items():
            ExpectedProficiency.objects.update_or_create(
                reference_level=level, competency=competencies[slug], defaults={"proficiency": proficiency}
            )
    return framework


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _level_input(item: dict[str, Any], reference_levels: dict[str, ReferenceLevel]) -> LevelInput:
    aliases = []
    for alias in item.get("aliases", []):
        if isinstance(alias, str):
            alias = {"title": alias}
        aliases.append(
            AliasInput(
                title=alias["title"],
                valid_from=_date(alias.get("valid_from")),
                valid_to=_date(alias.get("valid_to")),
                external_id=alias.get("external_id"),
            )
        )
    ref = item.get("reference_level")
    return LevelInput(
        title=item["title"],
        code=item.get("code"),
        track=item.get("track", "ic"),
        rank=item.get("rank"),
        reference_level=reference_levels[ref] if ref else None,
        scale_from=item.get("scale_from"),
        scale_to=item.get("scale_to"),
        description=item.get("description", ""),
        external_id=item.get("external_id"),
        is_active=item.get("is_active", True),
        aliases=aliases,
    )


@transaction.atomic
def load_demo(data: dict[str, Any]) -> list[Company]:
    """Upsert the demo organizations, their companies and ladders."""
    companies = []
    for org_data in data["organizations"]:
        org, _ = Organization.objects.update_or_create(slug=org_data["slug"], defaults={"name": org_data["name"]})
        for item in org_data.get("companies", []):
            company, _ = Company.objects.update_or_create(
                organization=org,
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "size_band": item.get("size_band", ""),
                    "is_public": item.get("is_public", False),
                    "external_id": item.get("external_id"),
                },
            )
            for ladder in item.get("ladders", []):
                framework = Framework.objects.get(slug=ladder["framework"])
                refs = {rl.slug: rl for rl in framework.reference_levels.all()}
                put_ladder_document(
                    company=company,
                    framework=framework,
                    levels=[_level_input(lv, refs) for lv in ladder["levels"]],
                )
            companies.append(company)
    return companies


def load_reference_fixtures() -> list[Framework]:
    return [load_framework(_read(path)) for path in sorted((FIXTURES_DIR / "frameworks").glob("*.json"))]


def load_demo_fixtures() -> list[Company]:
    return load_demo(_read(FIXTURES_DIR / "demo.json"))

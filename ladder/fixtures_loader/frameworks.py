"""Loading reference frameworks: competencies, reference levels and expected proficiencies."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ladder import audit, services
from ladder.fixtures_loader.state import (
    FIXTURES_DIR,
    FixtureStates,
    LoadReport,
    merge_fields,
    merge_simple,
    note,
    read_json,
)
from ladder.level_fields import REFERENCE_LEVEL_FIELDS
from ladder.models import Competency, Framework, ReferenceLevel


def _reference_values(item: dict[str, Any]) -> dict[str, Any]:
    values = {
        "name": item["name"],
        "track": item["track"],
        "position": item["position"],
        "focus_hands_on": item["focus_hands_on"],
        "summary": item.get("summary", ""),
        "responsibilities": item.get("responsibilities", []),
        "common_aliases": item.get("common_aliases", []),
        "reports_to": item.get("reports_to", ""),
        "promotes_to": sorted(item.get("promotes_to", [])),
        "competencies": dict(sorted(item.get("competencies", {}).items())),
    }
    return values


def _reference_have(level: ReferenceLevel) -> dict[str, Any]:
    values = {name: getattr(level, name) for name in REFERENCE_LEVEL_FIELDS}
    values["promotes_to"] = sorted(p.slug for p in level.promotes_to.all())
    values["competencies"] = dict(
        sorted((p.competency.slug, p.proficiency) for p in level.proficiencies.select_related("competency"))
    )
    return values


@transaction.atomic
def load_framework(
    data: dict[str, Any], report: LoadReport | None = None, states: FixtureStates | None = None
) -> Framework:
    """Create or merge one framework with its competencies, reference levels and expected proficiencies."""
    report = report or LoadReport(fixture=f"frameworks/{data['slug']}")
    states = states or FixtureStates(report.fixture)
    key = f"framework:{data['slug']}"
    want = {"name": data["name"], "description": data.get("description", "")}
    framework = Framework.objects.filter(slug=data["slug"]).first()
    if framework is None:
        framework = services.framework_save(framework=Framework(slug=data["slug"]), values=want, reference_levels=None)
        report.created.append(key)
    else:
        merge_simple(framework, key, want, states, report, _save_framework)
    states.set(key, want, framework.pk)

    competencies = {c.slug: c for c in framework.competencies.all()}
    for item in data.get("competencies", []):
        ckey = f"{key}/competency:{item['slug']}"
        cwant = {"name": item["name"], "kind": item["kind"], "description": item.get("description", "")}
        competency = competencies.get(item["slug"])
        if competency is None:
            if states.get(ckey) is None:
                competency = competencies[item["slug"]] = services.competency_save(
                    competency=Competency(framework=framework, slug=item["slug"]), values=cwant
                )
                report.created.append(ckey)
        else:
            merge_simple(competency, ckey, cwant, states, report, _save_competency)
        if competency is not None:
            states.set(ckey, cwant, competency.pk)

    existing = {rl.slug: rl for rl in framework.reference_levels.prefetch_related("promotes_to")}
    relations: list[tuple[ReferenceLevel, dict[str, Any], dict[str, Any]]] = []
    created_now: set[int] = set()
    for item in data["reference_levels"]:
        rkey = f"{key}/level:{item['slug']}"
        rwant = _reference_values(item)
        level = existing.get(item["slug"])
        state = states.get(rkey)
        if level is None:
            if state is not None:
                report.kept.append(f"{rkey} (deleted by a person; not recreated)")
                continue
            level = ReferenceLevel(framework=framework, slug=item["slug"])
            for name in REFERENCE_LEVEL_FIELDS:
                setattr(level, name, rwant[name])
            services.reference_level_save(reference_level=level)
            created_now.add(level.pk)
            existing[level.slug] = level
            report.created.append(rkey)
            relations.append(
                (level, rwant, {"promotes_to": rwant["promotes_to"], "competencies": rwant["competencies"]})
            )
        elif state is None:
            report.adopted.append(rkey)
        else:
            apply, kept = merge_fields(rwant, state.values, _reference_have(level))
            scalar = {k: v for k, v in apply.items() if k in REFERENCE_LEVEL_FIELDS}
            if scalar:
                for name, value in scalar.items():
                    setattr(level, name, value)
                services.reference_level_save(reference_level=level)
            related = {k: v for k, v in apply.items() if k not in REFERENCE_LEVEL_FIELDS}
            if related:
                relations.append((level, rwant, related))
            note(report, rkey, apply, kept)
        states.set(rkey, rwant, level.pk)
    for level, _rwant, related in relations:
        promotes = related.get("promotes_to")
        services.reference_level_links_save(
            reference_level=level,
            promotes_to=None if promotes is None else [existing[s] for s in promotes if s in existing],
            proficiencies={
                competencies[slug]: value
                for slug, value in related.get("competencies", {}).items()
                if slug in competencies
            },
            record=level.pk not in created_now,
        )
    report.loaded.append(framework.slug)
    return framework


def load_reference_fixtures(reports: list[LoadReport] | None = None) -> list[Framework]:
    frameworks = []
    for path in sorted((FIXTURES_DIR / "frameworks").glob("*.json")):
        report = LoadReport(fixture=f"frameworks/{path.stem}")
        with audit.acting_as(f"fixtures:{report.fixture}"):
            frameworks.append(load_framework(read_json(path), report, FixtureStates(report.fixture)))
        if reports is not None:
            reports.append(report)
    return frameworks


def _save_framework(framework: Framework, changes: dict[str, Any]) -> None:
    services.framework_save(framework=framework, values=changes, reference_levels=None)


def _save_competency(competency: Competency, changes: dict[str, Any]) -> None:
    services.competency_save(competency=competency, values=changes)

"""Loading organizations and companies with their ladders (the demo set and the catalog)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ladder import audit, services
from ladder.exceptions import FieldErrors
from ladder.fixtures_loader.ladders import merge_ladder
from ladder.fixtures_loader.state import FIXTURES_DIR, FixtureStates, LoadReport, merge_fields, note, read_json
from ladder.models import Company, Framework, Organization


def _company_values(item: dict[str, Any], org: Organization) -> dict[str, Any]:
    return {
        "organization": org.slug,
        "name": item["name"],
        "size_band": item.get("size_band", ""),
        "is_public": item.get("is_public", False),
        "external_id": item.get("external_id"),
        "sources": item.get("sources", []),
    }


def _company_have(company: Company) -> dict[str, Any]:
    return {
        "organization": company.organization.slug,
        "name": company.name,
        "size_band": company.size_band,
        "is_public": company.is_public,
        "external_id": company.external_id,
        "sources": company.sources,
    }


def _company_changes(values: dict[str, Any], orgs: dict[str, Organization]) -> dict[str, Any]:
    changes = dict(values)
    if "organization" in changes:
        changes["organization"] = orgs[changes["organization"]]
    return changes


def load_companies(data: dict[str, Any], fixture: str) -> tuple[list[Company], LoadReport]:
    """Create or merge the organizations, companies and ladders of a data set (demo or catalog).

    Each company is loaded in its own transaction: a broken one is reported and the others load.
    """
    report = LoadReport(fixture=fixture)
    companies: list[Company] = []
    with audit.acting_as(f"fixtures:{fixture}"):
        states = FixtureStates(fixture)
        orgs: dict[str, Organization] = {}
        for org_data in data["organizations"]:
            org, created = Organization.objects.get_or_create(
                slug=org_data["slug"], defaults={"name": org_data["name"]}
            )
            orgs[org.slug] = org
            if created:
                report.created.append(f"organization:{org.slug}")
            for item in org_data.get("companies", []):
                try:
                    with transaction.atomic():
                        company = _load_company(item, org, orgs, states, report)
                except (FieldErrors, KeyError, ValueError, TypeError) as exc:
                    detail = exc.errors if isinstance(exc, FieldErrors) else repr(exc)
                    report.errors.append(f"company:{item.get('slug')}: {detail}")
                    continue
                if company is not None:
                    companies.append(company)
                    report.loaded.append(company.slug)
    return companies, report


def _load_company(
    item: dict[str, Any], org: Organization, orgs: dict[str, Organization], states: FixtureStates, report: LoadReport
) -> Company | None:
    key = f"company:{item['slug']}"
    want = _company_values(item, org)
    state = states.get(key)
    # Slugs are unique per organization: find the company this fixture loaded before, else the
    # fixture organization's company with that slug (never another tenant's company of that name).
    companies = Company.objects.select_related("organization")
    company = companies.filter(pk=state.object_id).first() if state is not None else None
    if company is None:
        company = companies.filter(organization=org, slug=item["slug"]).first()
    if company is None:
        if state is not None:
            report.kept.append(f"{key} (deleted by a person; not recreated)")
            return None
        values = _company_changes(want, orgs)
        values.pop("organization")
        company = services.company_create(organization_id=org.pk, values={"slug": item["slug"], **values})
        report.created.append(key)
    elif company.archived_at is not None:
        report.kept.append(f"{key} (archived by a person; left archived)")
        states.set(key, want, company.pk)
        return None
    elif state is None:
        report.adopted.append(key)
    else:
        apply, kept = merge_fields(want, state.values, _company_have(company))
        if apply:
            company = services.company_update(company=company, values=_company_changes(apply, orgs))
        note(report, key, apply, kept)
    states.set(key, want, company.pk)
    for ladder in item.get("ladders", []):
        framework = Framework.objects.get(slug=ladder["framework"])
        merge_ladder(company=company, framework=framework, levels_data=ladder["levels"], states=states, report=report)
    return company


def load_demo_fixtures(reports: list[LoadReport] | None = None) -> list[Company]:
    companies, report = load_companies(read_json(FIXTURES_DIR / "demo.json"), "demo")
    if reports is not None:
        reports.append(report)
    return companies

"""Company writes: creation with its history, updates that bump the version only on a change, slugs."""

from __future__ import annotations

import pytest

from ladder import services
from ladder.exceptions import Conflict, FieldErrors, PreconditionFailed
from ladder.models import ChangeRecord, Company


def test_company_create_stores_the_company_and_its_history(org):
    company = services.company_create(organization_id=org.pk, values={"slug": "acme", "name": "Acme"})
    assert Company.objects.get(slug="acme").organization_id == org.pk
    record = ChangeRecord.objects.get(object_type="company", object_id=company.pk)
    assert record.action == ChangeRecord.Action.CREATE


def test_company_create_refuses_a_slug_taken_in_the_organization(company):
    with pytest.raises(Conflict) as exc:
        services.company_create(organization_id=company.organization_id, values={"slug": company.slug, "name": "X"})
    assert [(e["field"], e["code"]) for e in exc.value.errors] == [("slug", "slug_taken")]
    assert Company.objects.filter(slug=company.slug).count() == 1


def test_company_create_validates_the_fields(org):
    with pytest.raises(FieldErrors) as exc:
        services.company_create(organization_id=org.pk, values={"slug": "not a slug", "name": "X"})
    assert "slug" in {e["field"] for e in exc.value.errors}
    assert not Company.objects.filter(organization=org).exists()


def test_company_update_bumps_the_version_once_and_records_the_change(company):
    updated = services.company_update(company=company, values={"name": "Renamed Co"})
    assert (updated.name, updated.version) == ("Renamed Co", company.version + 1)
    record = ChangeRecord.objects.get(object_type="company", object_id=company.pk, action="update")
    assert record.after == {"name": "Renamed Co"}
    again = services.company_update(company=updated, values={"name": "Renamed Co"})
    assert again.version == updated.version
    assert ChangeRecord.objects.filter(object_type="company", action="update").count() == 1


def test_company_update_to_a_taken_slug_is_a_conflict(company, org):
    services.company_create(organization_id=org.pk, values={"slug": "taken", "name": "Taken"})
    with pytest.raises(Conflict):
        services.company_update(company=company, values={"slug": "taken"})
    company.refresh_from_db()
    assert company.slug == "own-co"


def test_company_update_with_a_stale_etag_changes_nothing(company):
    with pytest.raises(PreconditionFailed):
        services.company_update(company=company, values={"name": "Stale"}, if_match=['"stale"'])
    company.refresh_from_db()
    assert company.name == "Own Co"

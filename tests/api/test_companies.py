"""The permission model (docs/security.md): who may change the shared frameworks, what the admin shows
a staff member of one organization, and company slugs that reveal nothing about other tenants."""

from __future__ import annotations

from ladder.models import Company
from ladder.services import LevelInput, ladder_document_put
from tests.factories import CompanyFactory


def test_creating_a_company_with_another_tenants_private_slug_reveals_nothing(write_client, other_company):
    response = write_client.post("/api/v1/companies/", {"slug": other_company.slug, "name": "Mine"}, format="json")
    assert response.status_code == 201, response.content
    mine = Company.objects.get(pk=response.json()["id"])
    assert mine.organization_id != other_company.organization_id
    # Each tenant keeps reading its own company under the slug.
    assert write_client.get(f"/api/v1/companies/{other_company.slug}/").json()["name"] == "Mine"


def test_a_slug_taken_in_ones_own_organization_is_refused_on_the_slug(write_client, company):
    response = write_client.post("/api/v1/companies/", {"slug": company.slug, "name": "Again"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["errors"][0]["field"], body["errors"][0]["code"]) == ("conflict", "slug", "slug_taken")
    assert body["errors"][0]["message"] == (
        f'The slug "{company.slug}" is taken: slugs are unique within an organization and among public companies.'
    )


def test_own_company_shadows_a_public_one_with_the_same_slug(framework, write_client, org, other_public_company):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder_document_put(
        company=other_public_company,
        framework=framework,
        levels=[LevelInput(title="Public Senior", reference_level=refs["senior-pm"])],
    )
    response = write_client.post(
        "/api/v1/companies/", {"slug": other_public_company.slug, "name": "Own twin"}, format="json"
    )
    assert response.status_code == 201
    own = Company.objects.get(pk=response.json()["id"])
    ladder_document_put(
        company=own, framework=framework, levels=[LevelInput(title="Own Senior", reference_level=refs["senior-pm"])]
    )
    slug = other_public_company.slug
    assert write_client.get(f"/api/v1/companies/{slug}/").json()["name"] == "Own twin"
    doc = write_client.get(f"/api/v1/companies/{slug}/ladders/product-management/").json()
    assert [lv["title"] for lv in doc["levels"]] == ["Own Senior"]
    levels = write_client.get(f"/api/v1/levels/?company={slug}").json()["results"]
    assert [lv["title"] for lv in levels] == ["Own Senior"]
    answer = write_client.get("/api/v1/translate", {"source": slug, "target": "reference", "title": "Own Senior"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["results"][0]["source_level"]["title"] == "Own Senior"


def test_public_slugs_stay_unique(write_client, other_public_company):
    response = write_client.post(
        "/api/v1/companies/", {"slug": other_public_company.slug, "name": "Twin", "is_public": True}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "slug"
    assert Company.objects.filter(slug=other_public_company.slug).count() == 1


def test_company_crud(write_client, org, framework):
    created = write_client.post(
        "/api/v1/companies/",
        {"slug": "initech", "name": "Initech", "size_band": "midsize", "external_id": "C-9"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["organization"] == org.slug
    got = write_client.get("/api/v1/companies/initech/").json()
    assert got["name"] == "Initech" and got["ladders"] == []
    patched = write_client.patch("/api/v1/companies/initech/", {"is_public": True}, format="json")
    assert patched.json()["is_public"] is True
    assert write_client.delete("/api/v1/companies/initech/").status_code == 204
    assert write_client.get("/api/v1/companies/initech/").status_code == 404
    assert Company.objects.get(slug="initech").archived_at is not None  # archived, not destroyed


def test_company_slug_is_unique(write_client, company):
    response = write_client.post("/api/v1/companies/", {"slug": company.slug, "name": "Again"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("slug", "slug_taken")]
    assert f'"{company.slug}"' in body["errors"][0]["message"]


def test_company_filters_and_ordering(read_client, org, other_public_company):
    CompanyFactory(organization=org, slug="b-co", size_band="startup")
    CompanyFactory(organization=org, slug="a-co", size_band="enterprise")
    slugs = [c["slug"] for c in read_client.get("/api/v1/companies/?ordering=slug").json()["results"]]
    assert slugs == sorted(slugs) and "other-public" in slugs
    public = read_client.get("/api/v1/companies/?is_public=true").json()["results"]
    assert [c["slug"] for c in public] == ["other-public"]
    startups = read_client.get("/api/v1/companies/?size_band=startup").json()["results"]
    assert [c["slug"] for c in startups] == ["b-co"]

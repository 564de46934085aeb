"""The permission model (docs/security.md): who may change the shared frameworks, what the admin shows
a staff member of one organization, and company slugs that reveal nothing about other tenants."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ladder.choices import MemberRole
from ladder.models import ChangeRecord, Company, Framework, Ladder, Membership, ReferenceLevel
from ladder.services import LevelInput, ladder_document_put
from tests.factories import CompanyFactory, UserFactory

PM_URL = "/api/v1/frameworks/product-management/"


def _hr_admin(org):
    """An HR admin of one organization: staff (they use the admin), admin role in their organization."""
    user = UserFactory(is_staff=True)
    Membership.objects.create(user=user, organization=org, role=MemberRole.ADMIN)
    return user


def _csrf_session_client(user) -> APIClient:
    """A browser-like client: logged in, sending the CSRF token as the admin's pages would."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/admin/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    client.credentials(HTTP_X_CSRFTOKEN=token)
    return client


# --- Frameworks: platform operators only -----------------------------------------------------------


@pytest.mark.parametrize("role", [MemberRole.ADMIN, MemberRole.VIEWER])
def test_staff_of_an_organization_cannot_change_the_shared_framework(framework, org, role):
    user = UserFactory(is_staff=True)
    Membership.objects.create(user=user, organization=org, role=role)
    client = _csrf_session_client(user)
    before = list(ReferenceLevel.objects.filter(framework=framework).values_list("slug", "name", "position"))
    moved = client.patch(
        PM_URL, {"reference_levels": [{"slug": "pm", "name": "Renamed", "position": 9}]}, format="json"
    )
    assert moved.status_code == 403, moved.content
    assert moved.json()["code"] == "permission_denied"
    created = client.post("/api/v1/frameworks/", {"slug": "rogue", "name": "Rogue"}, format="json")
    assert created.status_code == 403
    assert client.delete(PM_URL).status_code == 403
    after = list(ReferenceLevel.objects.filter(framework=framework).values_list("slug", "name", "position"))
    assert after == before
    assert not Framework.objects.filter(slug="rogue").exists()


def test_staff_of_an_organization_cannot_change_frameworks_in_the_admin(client, framework, org):
    client.force_login(_hr_admin(org))
    pm = ReferenceLevel.objects.get(framework=framework, slug="pm")
    assert client.get(f"/admin/ladder/referencelevel/{pm.pk}/change/").status_code == 200  # may read
    response = client.post(f"/admin/ladder/referencelevel/{pm.pk}/change/", {"name": "Renamed", "position": 9})
    assert response.status_code == 403
    assert client.get("/admin/ladder/framework/add/").status_code == 403
    pm.refresh_from_db()
    assert (pm.name, pm.position) == ("Product Manager", 2)


def test_an_api_key_never_changes_frameworks(write_client, framework):
    assert write_client.patch(PM_URL, {"description": "x"}, format="json").status_code == 403


def test_a_platform_operator_may_change_frameworks(operator_client, framework):
    response = operator_client.patch(PM_URL, {"description": "Shared by every tenant."}, format="json")
    assert response.status_code == 200, response.content
    assert Framework.objects.get(slug="product-management").description == "Shared by every tenant."


def test_moving_a_rung_is_in_the_history_of_every_ladder_it_changes(
    operator_client, write_client, framework, org, other_org
):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    companies = [CompanyFactory(organization=o) for o in (org, other_org)]
    for company in companies:
        ladder_document_put(
            company=company,
            framework=framework,
            levels=[LevelInput(title="Product Manager", reference_level=refs["pm"])],
        )
    untouched = CompanyFactory(organization=org)
    ladder_document_put(
        company=untouched, framework=framework, levels=[LevelInput(title="VP Product", reference_level=refs["vp"])]
    )
    versions = {ladder.pk: ladder.version for ladder in Ladder.objects.all()}
    body = operator_client.get(PM_URL).json()
    for rl in body["reference_levels"]:
        if rl["slug"] == "pm":
            rl["position"] = 2  # unchanged position, changed track: still a move on the scale
            rl["track"] = "management"
    assert operator_client.put(PM_URL, body, format="json").status_code == 200
    for company in companies:
        ladder = company.ladders.get()
        assert ladder.version == versions[ladder.pk] + 1
        record = ChangeRecord.objects.get(ladder_id=ladder.pk, object_type="ladder", action="update")
        assert record.company_id == company.pk
        assert record.before["reference_level:pm"] == {"position": 2, "track": "ic"}
        assert record.after["reference_level:pm"] == {"position": 2, "track": "management"}
        assert record.after["version"] == ladder.version
    owner_view = write_client.get(f"/api/v1/companies/{companies[0].slug}/history/?object_type=ladder").json()
    assert any("reference_level:pm" in (entry["after"] or {}) for entry in owner_view["results"])
    ladder = untouched.ladders.get()
    assert ladder.version == versions[ladder.pk]
    assert not ChangeRecord.objects.filter(ladder_id=ladder.pk, object_type="ladder", action="update").exists()


# --- Admin: filters and choices show only what the staff member may see -----------------------------


def test_admin_filters_list_only_the_staff_members_own_companies_and_organization(client, framework, org, other_org):
    mine = CompanyFactory(organization=org, name="Mine Visible")
    CompanyFactory(organization=other_org, name="Hidden Private Co")
    CompanyFactory(organization=other_org, name="Hidden Archived Co", archived_at="2025-01-01T00:00:00Z")
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for company in Company.objects.all():
        ladder_document_put(
            company=company,
            framework=framework,
            levels=[LevelInput(title="Product Manager", reference_level=refs["pm"])],
        )
    client.force_login(_hr_admin(org))
    pages = [
        "/admin/ladder/changerecord/",
        "/admin/ladder/company/",
        "/admin/ladder/ladder/",
        "/admin/ladder/level/",
        "/admin/ladder/titlealias/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert "Hidden Private Co" not in html, page
        assert "Hidden Archived Co" not in html, page
        assert other_org.name not in html, page
    assert mine.name in client.get("/admin/ladder/changerecord/").content.decode()
    assert org.name in client.get("/admin/ladder/company/").content.decode()


# --- Company slugs: unique per organization, no existence oracle -----------------------------------


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


def test_the_slug_rule_holds_per_caller_when_ladder_lookups_are_remembered(framework, org, other_org):
    """Two users who read the same organizations but belong first to different ones mean different
    companies by one slug; the per-process lookup table must not answer one with the other's."""
    from django.test import override_settings

    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for owner, title in ((org, "Own Org Senior"), (other_org, "Other Org Senior")):
        twin = CompanyFactory(organization=owner, slug="twin")
        ladder_document_put(
            company=twin, framework=framework, levels=[LevelInput(title=title, reference_level=refs["senior-pm"])]
        )
    answers = {}
    with override_settings(PMLADDER_DIRECTORY_CACHE=True):
        for home, viewer_of in ((org, other_org), (other_org, org)):
            user = UserFactory(is_staff=True)
            Membership.objects.create(user=user, organization=home, role=MemberRole.EDITOR)
            Membership.objects.create(user=user, organization=viewer_of, role=MemberRole.VIEWER)
            client = APIClient()
            client.force_login(user)
            query = {"source": "twin", "target": "reference", "title": "Senior Product Manager"}
            result = client.get("/api/v1/translate", query).json()["results"][0]
            answers[home.slug] = result["source_level"]["title"]
    assert answers == {org.slug: "Own Org Senior", other_org.slug: "Other Org Senior"}

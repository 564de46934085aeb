"""The company admin: each staff member sees and restores their own organizations' companies."""

from __future__ import annotations

from django.urls import reverse

from ladder.choices import MemberRole
from ladder.models import Company, Ladder, Membership
from ladder.services import LevelInput, ladder_document_put
from tests.factories import CompanyFactory, OrganizationFactory, UserFactory
from tests.factories import hr_admin as _hr_admin


def test_staff_sees_only_their_organizations_companies(client, demo):
    demo_org = demo["globex"].organization
    outsider_org = OrganizationFactory(slug="outsiders")
    hidden = CompanyFactory(organization=outsider_org, slug="hidden-co", name="Hidden Co")
    editor = UserFactory(is_staff=True)
    Membership.objects.create(organization=demo_org, user=editor, role=MemberRole.EDITOR)
    client.force_login(editor)
    page = client.get(reverse("admin:ladder_company_changelist")).content.decode()
    assert "Globex" in page
    assert "Hidden Co" not in page
    assert client.get(reverse("admin:ladder_company_change", args=[hidden.pk])).status_code == 302
    levels = client.get(reverse("admin:ladder_level_changelist")).content.decode()
    assert "Globex" in levels
    hidden_ladder = Ladder.objects.create(company=hidden, framework=demo["globex"].ladders.get().framework)
    assert client.get(reverse("admin:ladder_ladder_change", args=[hidden_ladder.pk])).status_code == 302


def test_viewer_membership_gives_no_admin_access_to_companies(client, demo):
    viewer = UserFactory(is_staff=True)
    Membership.objects.create(organization=demo["globex"].organization, user=viewer, role=MemberRole.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("admin:ladder_company_changelist")).content.decode()
    assert "Globex" not in page


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


def test_admin_restore_action(client, superuser, write_client, ladder_url, company):
    write_client.delete(f"/api/v1/companies/{company.slug}/")
    client.force_login(superuser)
    response = client.post(
        "/admin/ladder/company/", {"action": "restore_selected", "_selected_action": [company.pk]}, follow=True
    )
    assert response.status_code == 200
    assert write_client.get(ladder_url).status_code == 200

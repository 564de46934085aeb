"""The admin renders for a superuser with a bounded number of queries, and staff see only their companies."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladder.choices import MemberRole
from ladder.models import Company, Ladder, Level, Membership, TitleAlias
from tests.factories import CompanyFactory, OrganizationFactory, UserFactory


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client


def _changelist_urls():
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_changelist_and_add_page_renders(admin_client_, demo):
    for model in admin.site._registry:
        meta = model._meta
        changelist = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.model_name
        add = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert add.status_code in (200, 403), meta.model_name
        obj = model.objects.first()
        if obj is not None:
            change = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
            assert change.status_code == 200, meta.model_name


def test_changelists_search_and_filter(admin_client_, demo):
    url = reverse("admin:ladder_level_changelist")
    response = admin_client_.get(url, {"q": "globex"})
    assert response.status_code == 200
    assert "Group Product Manager" in response.content.decode()
    response = admin_client_.get(url, {"track__exact": "management", "is_active__exact": "1"})
    assert response.status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", [Ladder, Level, TitleAlias, Company])
def test_changelist_query_count_does_not_grow(admin_client_, framework, model):
    url = reverse(f"admin:ladder_{model._meta.model_name}_changelist")
    counts = []
    for n in (1, 30):
        for i in range(n):
            company = CompanyFactory()
            ladder = Ladder.objects.create(company=company, framework=framework)
            level = Level.objects.create(
                ladder=ladder, title=f"Role {i}", rank=1, reference_level=framework.reference_levels.first()
            )
            TitleAlias.objects.create(level=level, title=f"Alias {i}")
        counts.append(_count(admin_client_, url))
        Company.objects.all().delete()
    assert counts[0] == counts[1], counts


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


def test_editing_a_ladder_inline_bumps_its_version(admin_client_, demo):
    ladder = demo["acme"].ladders.get()
    url = reverse("admin:ladder_ladder_change", args=[ladder.pk])
    page = admin_client_.get(url)
    form = page.context["adminform"].form
    formset = page.context["inline_admin_formsets"][0].formset
    data = {"company": ladder.company_id, "framework": ladder.framework_id}
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for i, f in enumerate(formset.forms):
        for name, field in f.fields.items():
            value = f.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            data[f"{formset.prefix}-{i}-{name}"] = "" if value is None else value
    data[f"{formset.prefix}-0-title"] = "Product Manager (renamed)"
    assert form is not None
    before = ladder.version
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ladder.refresh_from_db()
    assert ladder.version == before + 1
    assert ladder.levels.filter(title="Product Manager (renamed)").exists()


def test_saving_without_changes_says_so_and_records_nothing(admin_client_, write_client, company, framework):
    from ladder.models import ChangeRecord, LadderVersion

    doc = {"levels": [{"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]}]}
    assert write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", doc, format="json")
    level = Level.objects.get()
    url = reverse("admin:ladder_level_change", args=[level.pk])
    page = admin_client_.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    formset = page.context["inline_admin_formsets"][0].formset
    for key in ("TOTAL_FORMS", "INITIAL_FORMS"):
        data[f"aliases-{key}"] = formset.management_form[key].value()
    for i, alias_form in enumerate(formset.forms):
        for name in alias_form.fields:
            value = alias_form[name].value()
            if value not in (None, False):
                data[f"aliases-{i}-{name}"] = value
    counts = (ChangeRecord.objects.count(), LadderVersion.objects.count(), Level.objects.get().version)
    response = admin_client_.post(url, data, follow=True)
    assert response.status_code == 200
    assert "nothing was saved or recorded" in response.content.decode()
    assert (ChangeRecord.objects.count(), LadderVersion.objects.count(), Level.objects.get().version) == counts
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(object_id=str(level.pk)).exists()


def test_a_change_record_shows_a_readable_diff_and_the_key_by_name_only(
    admin_client_, write_client, company, framework
):
    from ladder.models import ApiKey, ChangeRecord

    url = f"/api/v1/companies/{company.slug}/"
    assert write_client.patch(url, {"name": "Renamed Co"}, format="json").status_code == 200
    record = ChangeRecord.objects.filter(action="update", object_type="company").latest("id")
    page = admin_client_.get(reverse("admin:ladder_changerecord_change", args=[record.pk])).content.decode()
    assert "<td>name</td><td>Own Co</td><td>Renamed Co</td>" in page
    assert "api-key:test" in page
    key = ApiKey.objects.get(name="test")
    assert key.pk.split(".", 1)[1] not in page  # never the key's hash
    assert record.actor_api_key_id == key.prefix
    assert '"name": "Own Co"' not in page  # no raw JSON

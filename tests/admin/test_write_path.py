"""One write path: an edit in the admin and the same edit through the API leave the same rows,
anchors (inferred ones included), versions and history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ladder import services
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level, TitleAlias
from ladder.services import AliasInput, LevelInput
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

START = [
    ("Associate Product Manager", "P1", "apm"),
    ("Product Manager", "P2", "pm"),
    ("Senior Product Manager", "P3", None),  # inferred
]


@pytest.fixture
def twins(org, framework):
    """Two companies of one organization with the same ladder: one edited in the admin, one by the API."""
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    companies = {}
    for side in ("admin", "api"):
        company = CompanyFactory(organization=org, slug=f"{side}-co")
        levels = [
            LevelInput(title=t, code=c, rank=i + 1, reference_level=refs.get(r), aliases=[AliasInput(title=f"{c} old")])
            for i, (t, c, r) in enumerate(START)
        ]
        services.ladder_document_put(company=company, framework=framework, levels=levels)
        companies[side] = company
    return companies


def _ladder_form_data(client, ladder: Ladder) -> tuple[str, dict]:
    url = reverse("admin:ladder_ladder_change", args=[ladder.pk])
    formset = client.get(url).context["inline_admin_formsets"][0].formset
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            value = value.pk if hasattr(value, "pk") else value
            if value is True:
                data[f"{formset.prefix}-{i}-{name}"] = "on"
            elif value not in (None, False):
                data[f"{formset.prefix}-{i}-{name}"] = value
    return url, data


def _post(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def _state(company) -> dict:
    """Everything a write leaves, without ids, times, actors and the company's own name."""
    ladder = Ladder.objects.get(company=company)
    levels = [
        (
            lv.rank,
            lv.title,
            lv.code,
            lv.track,
            lv.anchor,
            lv.reference_level and lv.reference_level.slug,
            lv.scale_from,
            lv.scale_to,
            lv.is_active,
            lv.version,
        )
        for lv in Level.objects.filter(ladder=ladder).select_related("reference_level").order_by("rank", "id")
    ]
    aliases = sorted(
        (a.level.title, a.title, a.valid_from, a.valid_to, a.version)
        for a in TitleAlias.objects.filter(ladder=ladder).select_related("level")
    )
    history = [
        (r.action, r.object_type, r.before, r.after, r.ladder_version)
        for r in ChangeRecord.objects.filter(company=company).exclude(object_type="company").order_by("id")
    ]
    versions = list(LadderVersion.objects.filter(ladder=ladder).order_by("id").values_list("seq", "status"))
    return {"levels": levels, "aliases": aliases, "history": history, "versions": versions, "version": ladder.version}


def _strip_ids(state: dict, company) -> dict:
    """History values that name rows by id (a level's id, a ladder's id) differ between twins; the
    test compares them by what they point at instead."""
    ladder = Ladder.objects.get(company=company)
    names = {
        "company_id": {company.pk: "company"},
        "ladder_id": {ladder.pk: "ladder"},
        "level_id": {lv.pk: f"level:{lv.title}" for lv in Level.objects.filter(ladder=ladder)},
    }

    def clean(values):
        if not values:
            return values
        return {k: names[k].get(v, v) if k in names else v for k, v in values.items()}

    state["history"] = [(a, t, clean(b), clean(af), v) for a, t, b, af, v in state["history"]]
    return state


def test_admin_and_api_leave_identical_rows_anchors_versions_and_history(client, superuser, write_client, twins):
    client.force_login(superuser)
    admin_co, api_co = twins["admin"], twins["api"]
    admin_ladder = Ladder.objects.get(company=admin_co)

    # Add a level without an anchor: inferred on both paths.
    url, data = _ladder_form_data(client, admin_ladder)
    data["levels-TOTAL_FORMS"] = int(data["levels-TOTAL_FORMS"]) + 1
    new = int(data["levels-TOTAL_FORMS"]) - 1
    data.update({f"levels-{new}-rank": 4, f"levels-{new}-title": "Group Product Manager", f"levels-{new}-code": "P4"})
    data.update({f"levels-{new}-track": "ic", f"levels-{new}-is_active": "on", f"levels-{new}-ladder": admin_ladder.pk})
    _post(client, url, data)
    created = write_client.post(
        "/api/v1/levels/",
        {"company": api_co.slug, "framework": "product-management", "title": "Group Product Manager", "code": "P4"},
        format="json",
    )
    assert created.status_code == 201, created.content

    # Edit a title: an inferred anchor is inferred again from the new title.
    url, data = _ladder_form_data(client, admin_ladder)
    data["levels-2-title"] = "Senior PM, Platform"
    _post(client, url, data)
    api_level = Level.objects.get(ladder__company=api_co, code="P3")
    response = write_client.patch(f"/api/v1/levels/{api_level.pk}/", {"title": "Senior PM, Platform"}, format="json")
    assert response.status_code == 200, response.content

    # Retire a level (levels are never deleted).
    url, data = _ladder_form_data(client, admin_ladder)
    del data["levels-0-is_active"]
    _post(client, url, data)
    api_level = Level.objects.get(ladder__company=api_co, code="P1")
    assert write_client.delete(f"/api/v1/levels/{api_level.pk}/").status_code == 204

    # Add, edit and delete an alias.
    admin_level = Level.objects.get(ladder__company=admin_co, code="P2")
    api_level = Level.objects.get(ladder__company=api_co, code="P2")
    _post(client, reverse("admin:ladder_titlealias_add"), {"level": admin_level.pk, "title": "PM II"})
    created = write_client.post("/api/v1/aliases/", {"level": api_level.pk, "title": "PM II"}, format="json")
    assert created.status_code == 201, created.content
    admin_alias = TitleAlias.objects.get(level=admin_level, title="PM II")
    change = reverse("admin:ladder_titlealias_change", args=[admin_alias.pk])
    _post(client, change, {"level": admin_level.pk, "title": "Product Manager II", "valid_from": "2024-01-01"})
    alias_id = created.json()["id"]
    patched = write_client.patch(
        f"/api/v1/aliases/{alias_id}/", {"title": "Product Manager II", "valid_from": "2024-01-01"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    _post(client, reverse("admin:ladder_titlealias_delete", args=[admin_alias.pk]), {"post": "yes"})
    assert write_client.delete(f"/api/v1/aliases/{alias_id}/").status_code == 204

    admin_state, api_state = _strip_ids(_state(admin_co), admin_co), _strip_ids(_state(api_co), api_co)
    assert admin_state == api_state
    # And the edits really happened, with an inferred anchor among them.
    levels = {row[1]: row for row in admin_state["levels"]}
    assert levels["Group Product Manager"][4] == "inferred" and levels["Group Product Manager"][5] is not None
    assert levels["Senior PM, Platform"][4] == "inferred"
    assert levels["Associate Product Manager"][8] is False
    assert admin_state["version"] == 1 + 6  # the document, then six writes
    assert [h[0] for h in admin_state["history"]].count("delete") == 1

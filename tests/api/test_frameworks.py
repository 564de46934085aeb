"""/api/v1/frameworks/: read by every key, written by platform operators only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ladder.choices import MemberRole
from ladder.models import ChangeRecord, Framework, Ladder, Membership, ReferenceLevel
from ladder.services import LevelInput, ladder_document_put
from tests.factories import CompanyFactory, UserFactory
from tests.factories import ladder_with_levels as _ladder


def test_framework_embeds_reference_levels(read_client, framework):
    body = read_client.get("/api/v1/frameworks/product-management/").json()
    assert [rl["slug"] for rl in body["reference_levels"]][:3] == ["apm", "pm", "senior-pm"]
    senior = next(rl for rl in body["reference_levels"] if rl["slug"] == "senior-pm")
    assert set(senior["promotes_to"]) == {"group-pm", "principal-pm", "director"}
    assert senior["focus_hands_on"] + senior["focus_soft"] == 100
    assert senior["competencies"] and {"competency", "proficiency"} <= set(senior["competencies"][0])


def test_operator_framework_crud(operator_client, framework):
    body = {
        "slug": "design",
        "name": "Design",
        "reference_levels": [
            {
                "slug": "designer",
                "name": "Designer",
                "track": "ic",
                "position": 1,
                "focus_hands_on": 80,
                "promotes_to": ["senior-designer"],
            },
            {"slug": "senior-designer", "name": "Senior Designer", "track": "ic", "position": 2, "focus_hands_on": 70},
        ],
    }
    created = operator_client.post("/api/v1/frameworks/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["reference_levels"][0]["promotes_to"] == ["senior-designer"]
    body["reference_levels"].pop()
    body["reference_levels"][0]["promotes_to"] = []
    replaced = operator_client.put("/api/v1/frameworks/design/", body, format="json")
    assert replaced.status_code == 200, replaced.content
    assert len(replaced.json()["reference_levels"]) == 1
    bad = dict(body, reference_levels=[dict(body["reference_levels"][0], promotes_to=["ghost"])])
    assert operator_client.put("/api/v1/frameworks/design/", bad, format="json").status_code == 400
    assert operator_client.delete("/api/v1/frameworks/design/").status_code == 204


def test_framework_in_use_cannot_be_deleted(operator_client, framework, company):
    _ladder(company, framework, 1)
    response = operator_client.delete("/api/v1/frameworks/product-management/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "in_use"


PM_URL = "/api/v1/frameworks/product-management/"


def _csrf_session_client(user) -> APIClient:
    """A browser-like client: logged in, sending the CSRF token as the admin's pages would."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/admin/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    client.credentials(HTTP_X_CSRFTOKEN=token)
    return client


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


def test_a_framework_without_rungs_does_not_break_writes(operator_client, write_client, company, framework):
    assert (
        operator_client.post("/api/v1/frameworks/", {"slug": "empty", "name": "Empty"}, format="json").status_code
        == 201
    )
    response = write_client.put(
        f"/api/v1/companies/{company.slug}/ladders/empty/", {"levels": [{"title": "Product Manager"}]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["levels"][0]["reference_level"] is None


def test_patching_a_framework_cannot_half_replace_its_levels(operator_client, framework):
    response = operator_client.patch(
        "/api/v1/frameworks/product-management/", {"reference_levels": [{"name": "X"}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "use_put"
    assert Framework.objects.get(slug="product-management").reference_levels.count() == 8


def test_branch_changes_are_in_the_history(operator_client, framework):
    body = operator_client.get("/api/v1/frameworks/product-management/").json()
    body.pop("id"), body.pop("created_at"), body.pop("updated_at")
    for rl in body["reference_levels"]:
        for key in ("id", "focus_soft", "competencies"):
            rl.pop(key)
        if rl["slug"] == "senior-pm":
            rl["promotes_to"] = ["group-pm", "principal-pm"]
    seen = ChangeRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert operator_client.put("/api/v1/frameworks/product-management/", body, format="json").status_code == 200
    record = ChangeRecord.objects.get(object_type="reference_level", action="update", id__gt=seen)
    assert record.before == {"promotes_to": ["director", "group-pm", "principal-pm"]}
    assert record.after == {"promotes_to": ["group-pm", "principal-pm"]}

"""Regressions for defects found in review: sync timestamps, cache freshness, archived ladders,
history of branch changes, and invariants that were only half enforced."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ladder import services
from ladder.models import ChangeRecord, Framework, Level, ReferenceLevel
from ladder.translation.cache import local_snapshots

DOC_URL = "/api/v1/companies/{}/ladders/product-management/"


@pytest.fixture
def doc(write_client, company, framework):
    url = DOC_URL.format(company.slug)
    body = {
        "levels": [
            {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": [{"title": "PM"}]},
            {
                "title": "Senior Product Manager",
                "code": "L5",
                "reference_level": "senior-pm",
                "aliases": [
                    {"title": "Product Lead", "external_id": "a1"},
                    {"title": "Area Lead", "external_id": "a2"},
                ],
            },
        ]
    }
    assert write_client.put(url, body, format="json").status_code == 201
    return url, body


def test_updated_since_sees_changes_made_by_a_ladder_document(write_client, doc):
    url, body = doc
    since = timezone.now()
    body["levels"][1]["description"] = "changed"
    body["levels"][0]["aliases"] = [{"title": "Prod Mgr"}]  # only an alias changes on this level
    assert write_client.put(url, body, format="json").status_code == 200
    changed = write_client.get("/api/v1/levels/", {"updated_since": since.isoformat()}).json()
    assert {lv["code"] for lv in changed["results"]} == {"L4", "L5"}


def test_swapping_alias_titles_inside_one_document_works(write_client, doc):
    url, body = doc
    aliases = body["levels"][1]["aliases"]
    aliases[0]["title"], aliases[1]["title"] = aliases[1]["title"], aliases[0]["title"]
    response = write_client.put(url, body, format="json")
    assert response.status_code == 200, response.content
    by_ext = {a["external_id"]: a["title"] for a in response.json()["levels"][1]["aliases"]}
    assert by_ext == {"a1": "Area Lead", "a2": "Product Lead"}


def test_moving_a_reference_level_renews_etags_and_translations(write_client, doc, company):
    url, _ = doc
    etag = write_client.get(url)["ETag"]
    local_snapshots.clear()
    before = write_client.get(
        "/api/v1/translate", {"source": company.slug, "target": "reference", "title": "Senior Product Manager"}
    ).json()["results"][0]
    assert before["target_level"]["title"] == "Senior Product Manager"
    senior = ReferenceLevel.objects.get(slug="senior-pm")
    senior.position = 4
    services.reference_level_save(reference_level=senior)
    after_doc = write_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after_doc.status_code == 200 and after_doc["ETag"] != etag
    assert after_doc.json()["levels"][1]["scale_from"] == 3.5


def test_a_renamed_company_answers_under_its_new_slug(write_client, doc, company):
    local_snapshots.clear()
    params = {"source": company.slug, "target": "reference", "title": "Product Manager"}
    assert write_client.get("/api/v1/translate", params).json()["source"] == company.slug
    renamed = write_client.patch(f"/api/v1/companies/{company.slug}/", {"slug": "renamed-co"}, format="json")
    assert renamed.status_code == 200
    params["source"] = "renamed-co"
    assert write_client.get("/api/v1/translate", params).json()["source"] == "renamed-co"


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


def test_a_level_posted_to_an_archived_ladder_restores_it(write_client, doc, company):
    url, _ = doc
    assert write_client.delete(url).status_code == 204
    created = write_client.post(
        "/api/v1/levels/",
        {"company": company.slug, "framework": "product-management", "title": "Director of Product", "code": "L7"},
        format="json",
    )
    assert created.status_code == 201
    assert write_client.get(f"/api/v1/levels/{created.json()['id']}/").status_code == 200
    assert write_client.get(url).status_code == 200
    assert ChangeRecord.objects.filter(object_type="ladder", action="restore").count() == 1


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


def test_no_company_may_be_called_reference(write_client, org):
    response = write_client.post("/api/v1/companies/", {"slug": "reference", "name": "Ref"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


def test_a_level_may_not_take_another_levels_alias_as_title(write_client, doc):
    level = Level.objects.get(code="L4")
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"title": "Product Lead"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "title"

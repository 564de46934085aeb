"""CRUD for every resource, filters, pagination, and query budgets of list and detail endpoints."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ladder.models import Level
from ladder.services import AliasInput, LevelInput, ladder_document_put


def _ladder(company, framework, n=3):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder_document_put(
        company=company,
        framework=framework,
        levels=[
            LevelInput(
                title=f"Product Role {i}",
                code=f"R{i}",
                reference_level=refs["pm"],
                aliases=[AliasInput(title=f"Role Alias {i}")],
            )
            for i in range(n)
        ],
    )
    return company.ladders.get()


def test_level_crud_and_version(write_client, company, framework):
    ladder = _ladder(company, framework, 2)
    v0 = ladder.version
    created = write_client.post(
        "/api/v1/levels/",
        {
            "company": company.slug,
            "framework": "product-management",
            "title": "Senior Product Manager",
            "code": "R9",
            "reference_level": "senior-pm",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    level = created.json()
    assert level["rank"] == 3 and level["anchor"] == "explicit" and level["version"] == 1
    ladder.refresh_from_db()
    assert ladder.version == v0 + 1
    patched = write_client.patch(
        f"/api/v1/levels/{level['id']}/", {"description": "Leads a product area."}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    ladder.refresh_from_db()
    assert ladder.version == v0 + 2
    moved = write_client.patch(f"/api/v1/levels/{level['id']}/", {"company": "other"}, format="json")
    assert moved.status_code == 200 and moved.json()["company"] == company.slug
    clash = write_client.patch(f"/api/v1/levels/{level['id']}/", {"code": "R0"}, format="json")
    assert clash.status_code == 400
    assert write_client.delete(f"/api/v1/levels/{level['id']}/").status_code == 204
    assert Level.objects.get(pk=level["id"]).is_active is False


def test_level_errors_are_400(write_client, company, framework):
    _ladder(company, framework, 1)
    base = {"company": company.slug, "framework": "product-management", "title": "X"}
    for extra, field in [
        ({"reference_level": "wizard"}, "reference_level"),
        ({"framework": "nope"}, "framework"),
        ({"scale_from": 4, "scale_to": 3}, "scale_to"),
        ({"title": "Product Role 0"}, "code"),
        ({"title": ["list"]}, "title"),
        ({"bogus": 1}, "bogus"),
    ]:
        response = write_client.post("/api/v1/levels/", {**base, **extra}, format="json")
        assert response.status_code == 400, (extra, response.content)
        assert field in {e["field"] for e in response.json()["errors"]}, (extra, response.json())
    assert Level.objects.count() == 1


def test_level_filters(read_client, company, framework):
    ladder = _ladder(company, framework, 3)
    Level.objects.filter(ladder=ladder, code="R2").update(is_active=False)
    assert read_client.get(f"/api/v1/levels/?company={company.slug}").json()["count"] == 3
    assert read_client.get("/api/v1/levels/?is_active=false").json()["count"] == 1
    assert read_client.get("/api/v1/levels/?reference_level=pm&track=ic").json()["count"] == 3
    assert read_client.get("/api/v1/levels/?reference_level=cpo").json()["count"] == 0
    assert read_client.get("/api/v1/levels/?framework=product-management").json()["count"] == 3
    since = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert read_client.get("/api/v1/levels/", {"updated_since": since}).json()["count"] == 0
    titles = [lv["title"] for lv in read_client.get("/api/v1/levels/?ordering=-rank").json()["results"]]
    assert titles == ["Product Role 2", "Product Role 1", "Product Role 0"]


def test_page_size_is_capped(read_client, company, framework):
    _ladder(company, framework, 3)
    body = read_client.get("/api/v1/levels/?page_size=100000").json()
    assert body["count"] == 3 and len(body["results"]) == 3
    assert len(read_client.get("/api/v1/levels/?page_size=2").json()["results"]) == 2


def test_level_endpoint_infers_an_anchor(write_client, company, framework):
    response = write_client.post(
        "/api/v1/levels/",
        {"company": company.slug, "framework": "product-management", "title": "VP, Product", "track": "executive"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reference_level"] == "vp"
    assert response.json()["anchor"] == "inferred"

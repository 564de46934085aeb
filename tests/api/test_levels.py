"""CRUD for every resource, filters, pagination, and query budgets of list and detail endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladder.models import Company, Level, TitleAlias
from ladder.services import AliasInput, LevelInput, ladder_document_put
from tests.factories import CompanyFactory


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


# --- Frameworks ----------------------------------------------------------------------------------


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


# --- Companies -----------------------------------------------------------------------------------


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


# --- Levels ---------------------------------------------------------------------------------------


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


# --- Aliases --------------------------------------------------------------------------------------


def test_alias_crud(write_client, company, framework):
    ladder = _ladder(company, framework, 2)
    level = ladder.levels.get(code="R0")
    created = write_client.post(
        "/api/v1/aliases/",
        {"level": level.pk, "title": "Former Role", "valid_from": "2019-01-01", "valid_to": "2021-01-01"},
        format="json",
    )
    assert created.status_code == 201, created.content
    alias_id = created.json()["id"]
    bad = write_client.patch(f"/api/v1/aliases/{alias_id}/", {"valid_to": "2018-01-01"}, format="json")
    assert bad.status_code == 400
    clash = write_client.post("/api/v1/aliases/", {"level": level.pk, "title": "Role Alias 1"}, format="json")
    assert clash.status_code == 400
    assert write_client.get(f"/api/v1/aliases/?level={level.pk}").json()["count"] == 2
    assert write_client.delete(f"/api/v1/aliases/{alias_id}/").status_code == 204
    assert not TitleAlias.objects.filter(pk=alias_id).exists()


# --- Query budgets --------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies/",
        "/api/v1/companies/{slug}/",
        "/api/v1/companies/{slug}/ladders/product-management/",
        "/api/v1/levels/",
        "/api/v1/levels/?company={slug}",
        "/api/v1/levels/{level}/",
        "/api/v1/aliases/",
        "/api/v1/aliases/{alias}/",
        "/api/v1/frameworks/",
        "/api/v1/frameworks/product-management/",
    ],
)
def test_query_count_does_not_grow_with_rows(read_client, org, framework, url):
    counts = []
    for n in (1, 50):
        Company.objects.filter(organization=org).delete()
        companies = [CompanyFactory(organization=org) for _ in range(n)]
        ladder = _ladder(companies[0], framework, n)
        level = ladder.levels.first()
        filled = url.format(slug=companies[0].slug, level=level.pk, alias=level.aliases.first().pk)
        counts.append(_queries(read_client, filled))
    assert counts[0] == counts[1], counts


def test_a_duplicate_alias_names_the_colliding_title_and_says_titles_are_normalised(write_client, company, framework):
    ladder = _ladder(company, framework, 2)
    first, second = ladder.levels.order_by("rank")
    taken = write_client.post("/api/v1/aliases/", {"level": first.pk, "title": "Sr. PM"}, format="json")
    assert taken.status_code == 201
    response = write_client.post("/api/v1/aliases/", {"level": second.pk, "title": "Senior PM"}, format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("title", "duplicate_alias")
    assert '"Senior PM"' in error["message"] and '"Sr. PM"' in error["message"]
    assert f'"{first.title}"' in error["message"]
    assert "normalised form" in error["message"] and '"Sr." for "Senior"' in error["message"]
    assert TitleAlias.objects.filter(title="Senior PM").count() == 0

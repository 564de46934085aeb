"""/api/v1/levels/: CRUD and versions, errors, filters, page sizes, inferred anchors, and regressions of
level writes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ladder.models import ChangeRecord, Level
from tests.conftest import error_of, fields_and_codes
from tests.factories import ladder_with_levels as _ladder

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


def test_level_endpoint_infers_an_anchor(write_client, company, framework):
    response = write_client.post(
        "/api/v1/levels/",
        {"company": company.slug, "framework": "product-management", "title": "VP, Product", "track": "executive"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reference_level"] == "vp"
    assert response.json()["anchor"] == "inferred"


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


def test_a_level_may_not_take_another_levels_alias_as_title(write_client, doc):
    level = Level.objects.get(code="L4")
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"title": "Product Lead"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "title"


def test_level_code_taken_names_the_field(write_client, ladder):
    level = Level.objects.get(ladder=ladder, code="L4")
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"code": "L5"}, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("code", "duplicate_code")}


def test_unknown_references_on_levels_have_their_own_codes(write_client, ladder, company):
    level = Level.objects.filter(ladder=ladder).first()
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"reference_level": "0"}, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("reference_level", "unknown_reference_level")}
    body = {"company": company.slug, "framework": "0", "title": "Lead", "code": "L9"}
    response = write_client.post("/api/v1/levels/", body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("framework", "unknown_framework")}


def test_level_update_checks_company_and_framework_and_keeps_them(write_client, ladder, company):
    level = Level.objects.filter(ladder=ladder).first()
    url = f"/api/v1/levels/{level.pk}/"
    body = {"company": [], "framework": "0", "title": "B", "track": "ic"}  # was 200: the list went unchecked
    assert ("company", "not_a_string") in fields_and_codes(error_of(write_client.put(url, body, format="json"), 400))
    body = {"title": "B", "track": "ic"}
    assert ("company", "required") in fields_and_codes(error_of(write_client.put(url, body, format="json"), 400))
    body = {"company": "elsewhere", "framework": "product-management", "title": "Product Manager", "code": "L4"}
    moved = write_client.put(url, body, format="json")
    assert moved.status_code == 200 and moved.json()["company"] == company.slug  # a level stays in its ladder


def test_adding_a_level_reads_the_ladders_levels_twice_whatever_its_size(write_client, framework, org):
    """Once for the rank, the inferred anchor and the rule book together, once for the version the
    write records; and no query per level."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CompanyFactory

    counts = []
    for size in (1, 20):
        company = CompanyFactory(organization=org)
        levels = [{"title": f"Product Manager {i}", "code": f"P{i}", "reference_level": "pm"} for i in range(size)]
        url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
        assert write_client.put(url, {"levels": levels}, format="json").status_code == 201
        body = {"company": company.slug, "framework": "product-management", "title": "Director of Product"}
        with CaptureQueriesContext(connection) as ctx:
            assert write_client.post("/api/v1/levels/", body, format="json").status_code == 201
        level_reads = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "ladder_level"."id"')]
        assert len(level_reads) == 2, [q["sql"][:200] for q in level_reads]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts

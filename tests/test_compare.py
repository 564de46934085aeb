"""The comparison: ``GET /api/v1/compare`` and the ``/compare/`` page with its downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladder.choices import KeyRole, MemberRole
from ladder.fixtures_loader import load_catalog_fixtures
from ladder.models import Company, Ladder, Level, Membership
from ladder.translation.cache import local_snapshots
from tests.conftest import key_client
from tests.factories import CompanyFactory, UserFactory, make_key

SAMPLE = Path(__file__).parent / "data" / "catalog_sample.json"


@pytest.fixture
def catalog(framework):
    companies = load_catalog_fixtures(path=SAMPLE)
    return {c.slug: c for c in companies}


def _ladder(company, framework, levels):
    ladder = Ladder.objects.create(company=company, framework=framework)
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for rank, (title, ref) in enumerate(levels, start=1):
        Level.objects.create(ladder=ladder, title=title, rank=rank, reference_level=refs[ref])
    return ladder


def _columns(body):
    return {c["key"]: c for c in body["columns"]}


def test_boxes_follow_the_spans_and_anchors(read_client, catalog):
    response = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["key"] for c in body["columns"]] == ["reference", "alpha-corp", "beta-gmbh"]
    assert body["scale"] == {"from": 0.5, "to": 7.5}
    reference = _columns(body)["reference"]
    assert {b["reference_level"]: (b["scale_from"], b["scale_to"]) for b in reference["boxes"]}["senior-pm"] == (
        2.5,
        3.5,
    )
    beta = {b["title"]: b for b in _columns(body)["beta-gmbh"]["boxes"]}
    assert (beta["Product Manager"]["scale_from"], beta["Product Manager"]["scale_to"]) == (1.0, 2.5)
    assert (beta["Head of Product"]["scale_from"], beta["Head of Product"]["scale_to"]) == (3.5, 6.5)
    senior = beta["Senior Product Manager"]
    assert senior["anchor"] == "inferred" and senior["reference_level"] == "senior-pm"
    assert (senior["scale_from"], senior["scale_to"]) == (2.5, 3.5)
    # Tracks side by side: individual contributors and leadership in different lanes.
    assert beta["Head of Product"]["lane"] != beta["Product Manager"]["lane"]
    assert _columns(body)["beta-gmbh"]["lanes"] == 2
    alpha = {b["code"]: b for b in _columns(body)["alpha-corp"]["boxes"]}
    assert alpha["L3"]["aliases"] == ["APM"]
    assert alpha["L6"]["provenance"]["disagreements"] == [{"url": "https://example.org/b", "claim": "L6 is Lead PM"}]
    assert _columns(body)["alpha-corp"]["sources"][0]["url"] == "https://example.org/ladders/alpha"


def test_links_are_what_translate_answers(read_client, catalog):
    body = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh"}).json()
    boxes = {b["id"]: b for c in body["columns"] for b in c["boxes"]}
    pairs = {(link["source"].split(":")[0], link["target"].split(":")[0]) for link in body["links"]}
    # Adjacent columns only, both ways.
    assert pairs == {
        ("reference", "alpha-corp"),
        ("alpha-corp", "reference"),
        ("alpha-corp", "beta-gmbh"),
        ("beta-gmbh", "alpha-corp"),
    }
    best = [link for link in body["links"] if link["best"] and link["source"].startswith("alpha-corp:")]
    best = [link for link in best if link["target"].startswith("beta-gmbh:")]
    assert len(best) == 5
    for link in best:
        source = boxes[link["source"]]
        answer = read_client.get(
            "/api/v1/translate",
            {"source": "alpha-corp", "target": "beta-gmbh", "title": source["title"], "code": source["code"]},
        ).json()["results"][0]
        assert answer["target_level"]["id"] == boxes[link["target"]]["level_id"]
        assert answer["confidence"] == link["confidence"]
        assert answer["basis"] == link["basis"]
    everything = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh", "links": "all"}).json()
    assert any(
        link["source"].startswith("reference:") and link["target"].startswith("beta-gmbh:")
        for link in everything["links"]
    )


def test_another_tenants_private_company_is_never_shown(read_client, org, other_company, company, framework, catalog):
    _ladder(other_company, framework, [("Product Manager", "pm")])
    _ladder(company, framework, [("Product Manager", "pm")])
    hidden = read_client.get("/api/v1/compare", {"companies": f"alpha-corp,{other_company.slug}"})
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "company_not_found"
    # Answered exactly like a company that does not exist: no existence leak.
    missing = read_client.get("/api/v1/compare", {"companies": "alpha-corp,no-such-co"}).json()
    assert hidden.json()["message"].replace(other_company.slug, "X") == missing["message"].replace("no-such-co", "X")
    own = read_client.get("/api/v1/compare", {"companies": f"{company.slug},alpha-corp"})
    assert own.status_code == 200
    assert [c["key"] for c in own.json()["columns"]] == ["reference", company.slug, "alpha-corp"]
    # The other tenant sees its own company but not ours.
    other = key_client(make_key(other_company.organization, KeyRole.READ, name="other")[1])
    assert other.get("/api/v1/compare", {"companies": other_company.slug}).status_code == 200
    assert other.get("/api/v1/compare", {"companies": company.slug}).status_code == 404


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"companies": ",".join(f"c{i}" for i in range(9))}, 400, "too_many_companies"),
        ({"companies": "alpha-corp,<script>"}, 400, "validation_error"),
        ({"companies": " , ,"}, 400, "validation_error"),
        ({}, 400, "validation_error"),
        ({"companies": "alpha-corp", "framework": "nope"}, 404, "framework_not_found"),
        ({"companies": "alpha-corp", "as_of": "yesterday"}, 400, "validation_error"),
        ({"companies": "alpha-corp", "links": "some"}, 400, "validation_error"),
        ({"companies": "alpha-corp", "key": "secret"}, 400, "validation_error"),
        ({"companies": "x" * 1001}, 400, "validation_error"),
    ],
)
def test_bad_queries_are_clear_errors(read_client, catalog, query, status, code):
    response = read_client.get("/api/v1/compare", query)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_every_schema_valid_list_of_slugs_is_accepted(read_client, catalog):
    for value in ("alpha-corp", " alpha-corp , beta-gmbh,", ",,alpha-corp,,gamma-bank ,", "alpha-corp,alpha-corp"):
        assert read_client.get("/api/v1/compare", {"companies": value}).status_code == 200, value
    assert read_client.get("/api/v1/compare", {"companies": "alpha-corp beta-gmbh"}).status_code == 400
    assert read_client.get("/api/v1/compare", {"companies": "alpha-corp\n"}).status_code == 400


def test_compare_needs_authentication(anon_client, catalog):
    assert anon_client.get("/api/v1/compare", {"companies": "alpha-corp"}).status_code == 401


def test_query_count_does_not_grow_with_levels(read_client, org, framework):
    refs = ["apm", "pm", "senior-pm", "principal-pm", "group-pm", "director", "vp", "cpo"]
    counts = []
    for n in (2, 40):
        slugs = []
        for c in range(3):
            company = CompanyFactory(organization=org, slug=f"co-{n}-{c}")
            _ladder(company, framework, [(f"Role {i}", refs[i % len(refs)]) for i in range(n)])
            slugs.append(company.slug)
        local_snapshots.clear()  # both measurements start from cold caches
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = read_client.get("/api/v1/compare", {"companies": ",".join(slugs)})
        assert response.status_code == 200
        assert sum(len(c["boxes"]) for c in response.json()["columns"][1:]) == 3 * n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- The page ------------------------------------------------------------------------------------


@pytest.fixture
def staff_member(org):
    user = UserFactory(is_staff=True)
    Membership.objects.create(organization=org, user=user, role=MemberRole.EDITOR)
    return user


def test_page_needs_an_admin_session(client, write_client, catalog):
    url = reverse("compare") + "?companies=alpha-corp"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    # An API key is no way in: not in a header, and never in the URL.
    assert write_client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(url).status_code == 302


def test_page_draws_the_chart_and_highlights_without_script(client, staff_member, catalog):
    client.force_login(staff_member)
    level = Level.objects.get(ladder__company__slug="alpha-corp", code="L5")
    response = client.get(
        reverse("compare"), {"companies": "alpha-corp,beta-gmbh,gamma-bank", "focus": f"alpha-corp:{level.pk}"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="box ') == 8 + 5 + 3 + 4
    assert f'data-box="alpha-corp:{level.pk}"' in page
    assert "is-source" in page and "is-target" in page
    assert "translates to" in page
    assert "Anchor inferred by pmladder" in page  # the legend
    assert "https://example.org/ladders/alpha" in page  # sources of the catalog companies
    assert "cdn" not in page.lower() and "https://unpkg" not in page
    assert 'href="/compare/chart.svg?companies=alpha-corp%2Cbeta-gmbh%2Cgamma-bank"' in page


def test_page_errors_are_clear(client, staff_member, catalog, other_company, framework):
    client.force_login(staff_member)
    _ladder(other_company, framework, [("Product Manager", "pm")])
    url = reverse("compare")
    assert client.get(url).status_code == 200  # the picker only
    too_many = client.get(url, {"companies": ",".join(f"c{i}" for i in range(9))})
    assert too_many.status_code == 400 and "at most 8" in too_many.content.decode()
    assert client.get(url, {"companies": other_company.slug}).status_code == 404
    assert client.get(url, {"companies": "alpha-corp", "as_of": "31/12/2025"}).status_code == 400
    assert client.get(url, {"companies": "alpha-corp", "framework": "pm\x00"}).status_code == 400
    assert client.get(url, {"companies": "alpha-corp\x00"}).status_code == 400
    # NUL is refused in every query, pages included (ladder.middleware.RequestLimitsMiddleware).
    assert client.get(url, {"companies": "alpha-corp", "focus": "\x00<b>"}).status_code == 400
    keyed = client.get(url, {"companies": "alpha-corp", "key": "abc"})
    assert keyed.status_code == 400 and "never go in URLs" in keyed.content.decode()
    picker = client.get(url).content.decode()
    assert "alpha-corp" in picker and other_company.slug not in picker


def test_downloads_carry_the_same_data(client, staff_member, catalog):
    client.force_login(staff_member)
    query = {"companies": "alpha-corp,beta-gmbh"}
    svg = client.get(reverse("compare-svg"), query)
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in svg["Content-Disposition"]
    text = svg.content.decode()
    assert text.startswith("<svg") and text.count('class="box ') == 8 + 5 + 3
    root = ElementTree.fromstring(text)  # a well-formed SVG document on its own, styles included
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.find("{http://www.w3.org/2000/svg}style") is not None
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("compare-csv"), query).content.decode())))
    assert len(rows) == 8 + 5 + 3
    head = next(r for r in rows if r["column"] == "beta-gmbh" and r["title"] == "Head of Product")
    assert (head["scale_from"], head["scale_to"], head["track"]) == ("3.5", "6.5", "management")
    assert "Alpha Corp: Director of Product" in head["translates_to"]
    assert client.get(reverse("compare-csv"), {"companies": "nope"}).status_code == 404


def test_company_admin_page_links_to_the_chart(client, superuser, catalog):
    client.force_login(superuser)
    company = Company.objects.get(slug="alpha-corp")
    page = client.get(reverse("admin:ladder_company_change", args=[company.pk])).content.decode()
    assert f"{reverse('compare')}?companies=alpha-corp" in page
    assert "Compare with" in page
    assert '<a href="https://example.org/ladders/alpha" rel="noopener noreferrer">Alpha careers page</a>' in page


def test_api_docs_link_to_the_chart(read_client):
    schema = read_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/compare/" in schema["info"]["description"]
    assert "/api/v1/compare" in schema["paths"]


def test_level_admin_page_shows_the_sources(client, superuser, catalog):
    client.force_login(superuser)
    level = Level.objects.get(ladder__company__slug="alpha-corp", code="L6")
    page = client.get(reverse("admin:ladder_level_change", args=[level.pk])).content.decode()
    assert 'href="https://example.org/a"' in page
    assert "Disagrees: L6 is Lead PM" in page
    assert "One source calls it Lead PM." in page


def test_page_query_count_does_not_grow_with_levels(client, staff_member, org, framework):
    client.force_login(staff_member)
    refs = ["apm", "pm", "senior-pm", "principal-pm", "group-pm", "director", "vp", "cpo"]
    counts = []
    for n in (2, 30):
        slugs = []
        for c in range(2):
            company = CompanyFactory(organization=org, slug=f"page-{n}-{c}")
            _ladder(company, framework, [(f"Role {i}", refs[i % len(refs)]) for i in range(n)])
            slugs.append(company.slug)
        local_snapshots.clear()
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("compare"), {"companies": ",".join(slugs)}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_admin_ladder_form_infers_missing_anchors(client, superuser, company, framework):
    client.force_login(superuser)
    refs = {rl.slug: rl.pk for rl in framework.reference_levels.all()}
    rows = [
        {"rank": 1, "title": "Product Manager", "code": "P2", "track": "ic", "reference_level": refs["pm"]},
        {"rank": 2, "title": "Senior Product Manager", "code": "P3", "track": "ic", "reference_level": ""},
        {"rank": 3, "title": "Head of Product", "track": "management", "scale_from": 3.5, "scale_to": 6.5},
    ]
    data = {
        "company": company.pk,
        "framework": framework.pk,
        "levels-TOTAL_FORMS": len(rows),
        "levels-INITIAL_FORMS": 0,
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    for i, row in enumerate(rows):
        data.update({f"levels-{i}-{k}": v for k, v in row.items()})
        data[f"levels-{i}-is_active"] = "on"
    response = client.post(reverse("admin:ladder_ladder_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    levels = {lv.title: lv for lv in Level.objects.filter(ladder__company=company).select_related("reference_level")}
    assert (levels["Product Manager"].anchor, levels["Product Manager"].reference_level.slug) == ("explicit", "pm")
    senior = levels["Senior Product Manager"]
    assert (senior.anchor, senior.reference_level.slug) == ("inferred", "senior-pm")
    assert levels["Head of Product"].anchor == "inferred" and levels["Head of Product"].reference_level is not None
    page = client.get(response["Location"]).content.decode()
    assert 'class="anchor-inferred"' in page and "2.5–3.5" in page and 'id="ladder-scale"' in page

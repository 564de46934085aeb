"""The ``/compare/`` page with its downloads (``ladder.web``), and where the admin links to it."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from ladder.choices import MemberRole
from ladder.models import Company, Level, Membership
from tests.conftest import clear_caches, count_queries
from tests.factories import UserFactory, make_ladder, make_ladders


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
    make_ladder(other_company, framework, [("Product Manager", "pm")])
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
    counts = []
    for n in (2, 30):
        slugs = make_ladders(org, framework, companies=2, levels=n, prefix="page")
        clear_caches()
        response, count = count_queries(
            lambda slugs=slugs: client.get(reverse("compare"), {"companies": ",".join(slugs)})
        )
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1], counts

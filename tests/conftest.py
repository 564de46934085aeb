"""Shared fixtures: the real reference framework, tenants, one API client per way of calling, stored
ladder documents (``ladder_url``, ``doc``), the one error shape (``error_of``), and ``count_queries``, the
one way the tests count SQL queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from ladder import directory
from ladder.choices import KeyRole
from ladder.fixtures_loader import load_catalog_fixtures, load_demo_fixtures, load_reference_fixtures
from ladder.models import Framework
from tests.factories import CompanyFactory, OrganizationFactory, UserFactory, make_key

DOC_URL = "/api/v1/companies/{}/ladders/product-management/"
# Three levels on two tracks, the IC ones with an alias each.
THREE_LEVELS = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
        {"title": "Group Product Manager", "code": "L6", "track": "management", "reference_level": "group-pm"},
    ]
}
# Two IC levels with an alias each.
TWO_LEVELS = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
    ]
}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)


def clear_caches() -> None:
    """Cold caches: no snapshot, key or lookup of an earlier test (or request) is reused."""
    from django.conf import settings
    from django.core.cache import cache

    from ladder.documents_io import kept_documents
    from ladder.translation.cache import local_snapshots

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()  # never a shared Redis someone pointed REDIS_URL at
    local_snapshots.clear()
    kept_documents.clear()
    directory.clear_local()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Test databases reuse ids and versions, so no snapshot, document, key or lookup may outlive its test."""
    clear_caches()


def count_queries(call: Callable[[], Any]) -> tuple[Any, int]:
    """What ``call()`` returns, and how many SQL queries it ran."""
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return result, len(ctx.captured_queries)


def error_of(response, status: int) -> dict:
    """The one error shape, with ``status``; returns the body."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["status"] == status and body["code"] and body["errors"], body
    return body


def fields_and_codes(body: dict) -> set[tuple[str | None, str]]:
    return {(item["field"], item["code"]) for item in body["errors"]}


@pytest.fixture
def framework(db) -> Framework:
    """The product-management framework, loaded from the committed fixture."""
    load_reference_fixtures()
    return Framework.objects.get(slug="product-management")


@pytest.fixture
def catalog(framework):
    """The sample of the open catalog (``tests/data/catalog_sample.json``): a few public companies."""
    companies = load_catalog_fixtures(path=Path(__file__).parent / "data" / "catalog_sample.json")
    return {c.slug: c for c in companies}


@pytest.fixture
def demo(framework):
    """The demo organizations and companies, loaded from the committed fixture."""
    return {c.slug: c for c in load_demo_fixtures()}


@pytest.fixture
def demo_client(demo) -> APIClient:
    """A write key of the demo organization, with the demo companies loaded."""
    from ladder.models import Organization

    return key_client(make_key(Organization.objects.get(slug="demo"))[1])


@pytest.fixture
def org(db):
    return OrganizationFactory(slug="own-org", name="Own Org")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(slug="other-org", name="Other Org")


@pytest.fixture
def company(org):
    return CompanyFactory(organization=org, slug="own-co", name="Own Co")


@pytest.fixture
def other_company(other_org):
    return CompanyFactory(organization=other_org, slug="other-private", name="Other Private")


@pytest.fixture
def other_public_company(other_org):
    return CompanyFactory(organization=other_org, slug="other-public", name="Other Public", is_public=True)


def key_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def write_client(org) -> APIClient:
    return key_client(make_key(org, KeyRole.WRITE)[1])


@pytest.fixture
def read_client(org) -> APIClient:
    return key_client(make_key(org, KeyRole.READ)[1])


@pytest.fixture
def other_write_client(other_org) -> APIClient:
    return key_client(make_key(other_org, KeyRole.WRITE, name="other")[1])


@pytest.fixture
def expired_client(org) -> APIClient:
    return key_client(make_key(org, KeyRole.WRITE, expiry_date=timezone.now() - timedelta(days=1))[1])


@pytest.fixture
def revoked_client(org) -> APIClient:
    api_key, key = make_key(org, KeyRole.WRITE, name="revoked")
    api_key.revoked = True
    api_key.save()
    return key_client(key)


@pytest.fixture
def staff_client(db) -> APIClient:
    client = APIClient()
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def operator(db):
    """A platform operator: staff, in no organization, holding the permission to change frameworks."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="operate_frameworks", content_type__app_label="ladder"))
    return user


@pytest.fixture
def operator_client(operator) -> APIClient:
    client = APIClient()
    client.force_login(operator)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def ladder_url(write_client, company, framework) -> str:
    """The URL of the company's ladder document, PUT with ``THREE_LEVELS``."""
    url = DOC_URL.format(company.slug)
    assert write_client.put(url, THREE_LEVELS, format="json").status_code == 201
    return url


@pytest.fixture
def doc(write_client, company, framework):
    """The company's ladder document, PUT with two levels and aliases by external id: (url, body)."""
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

"""List filters and query parameters: a bad value is a 400 naming it, never a 500 or a silent default."""

from __future__ import annotations

import pytest

from tests.conftest import error_of


@pytest.mark.parametrize(
    "since",
    [
        "8295-07-16T02:46:01-23:37",  # PostgreSQL takes offsets up to 15:59 only: this was a 500
        "5732-09-19T10:24:49.63+16:35",
        "0001-01-01T00:00:00+05:00",  # before year 1 once in UTC
        "9999-12-31T23:59:59-05:00",  # after year 9999 once in UTC
    ],
)
def test_updated_since_with_any_offset_is_answered(read_client, company, since):
    for url in ("/api/v1/companies/", "/api/v1/levels/", "/api/v1/aliases/"):
        assert read_client.get(url, {"updated_since": since}).status_code == 200, url


def test_updated_since_is_compared_in_utc(read_client, company):
    updated = company.updated_at
    before = (updated.replace(microsecond=0)).isoformat().replace("+00:00", "+14:00")  # 14 h earlier
    slugs = [c["slug"] for c in read_client.get("/api/v1/companies/", {"updated_since": before}).json()["results"]]
    assert company.slug in slugs


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/companies/", "updated_since=", "updated_since"),
        ("/api/v1/companies/", "is_public=", "is_public"),
        ("/api/v1/companies/", "is_public=yes", "is_public"),
        ("/api/v1/companies/", "size_band=", "size_band"),
        ("/api/v1/levels/", "is_active=1", "is_active"),
        ("/api/v1/levels/", "track=", "track"),
        ("/api/v1/levels/", "company=" + "x" * 65, "company"),
        ("/api/v1/aliases/", "level=3.433147747398095e%2B242", "level"),
        ("/api/v1/aliases/", "level=0", "level"),
        ("/api/v1/aliases/", "level=99999999999999999999", "level"),
        ("/api/v1/companies/", "page_size=null&page_size=null", "page_size"),
        ("/api/v1/companies/", "page_size=0", "page_size"),
        ("/api/v1/companies/", "page_size=-1302658", "page_size"),
        ("/api/v1/companies/", "page=last", "page"),
        ("/api/v1/companies/", "page=0", "page"),
        ("/api/v1/frameworks/", "ordering=nonsense", "ordering"),
        ("/api/v1/companies/", "ordering=", "ordering"),
        ("/api/v1/levels/", "ordering=rank,-secret", "ordering"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(read_client, company, url, query, field):
    body = error_of(read_client.get(f"{url}?{query}"), 400)
    assert field in {item["field"] for item in body["errors"]}, body


def test_good_query_values_still_work(read_client, company):
    assert read_client.get("/api/v1/companies/?is_public=false&ordering=-name,slug").status_code == 200
    assert read_client.get("/api/v1/companies/?page_size=100000").json()["count"] >= 1  # capped, not refused
    error_of(read_client.get("/api/v1/companies/?page=99"), 404)  # past the last page
    assert read_client.get(f"/api/v1/companies/{company.slug}/history/?page_size=1").status_code == 200

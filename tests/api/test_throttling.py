"""Throttles: per key, 429 with Retry-After, a lower limit for bulk translation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import key_client
from tests.factories import make_key


@pytest.fixture
def low_rates():
    cache.clear()
    with override_settings(PMLADDER_THROTTLE_RATES={"read": "3/min", "write": "2/min", "bulk": "1/min"}):
        yield
    cache.clear()


def test_throttles_answer_429_with_retry_after(read_client, write_client, company, low_rates):
    for _ in range(3):
        assert read_client.get("/api/v1/companies/").status_code == 200
    limited = read_client.get("/api/v1/companies/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    # Limits are per key: another key of the same organization is not affected.
    assert write_client.get("/api/v1/companies/").status_code == 200


def test_bulk_translation_has_its_own_lower_limit(demo, low_rates):
    from ladder.models import Organization

    client = key_client(make_key(Organization.objects.get(slug="demo"))[1])
    body = {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
    assert client.post("/api/v1/translate", body, format="json").status_code == 200
    assert client.post("/api/v1/translate", body, format="json").status_code == 429
    single = client.get("/api/v1/translate", {"source": "globex", "target": "parallax", "title": "Sr. PM"})
    assert single.status_code == 200

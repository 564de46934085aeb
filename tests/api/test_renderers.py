"""The orjson renderer writes the bytes DRF's own JSON renderer writes, for every kind of answer."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from ladder.choices import KeyRole
from ladder.http.renderers import FastJSONRenderer
from ladder.models import Organization
from tests.conftest import key_client
from tests.factories import make_key


def test_same_bytes_as_drf_for_api_answers(demo_client_answers):
    for body in demo_client_answers:
        assert FastJSONRenderer().render(body) == JSONRenderer().render(body)


def test_values_orjson_does_not_know_go_through_drf():
    data = {"when": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "lazy": gettext_lazy("Not found."), "n": Decimal("1.5")}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_indented_answers_are_left_to_drf():
    rendered = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert rendered == JSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert FastJSONRenderer().render(None) == b""


@pytest.fixture
def demo_client_answers(demo):
    client = key_client(make_key(Organization.objects.get(slug="demo"), KeyRole.READ)[1])
    urls = [
        "/api/v1/translate?source=globex&target=parallax&title=Sr.%20PM%20-%20Ünïcode",
        "/api/v1/companies/globex/ladders/product-management/",
        "/api/v1/companies/",
        "/api/v1/companies/globex/history/",
        "/api/v1/frameworks/product-management/",
        "/api/v1/career-path?company=globex&title=Sr.%20PM",
        "/api/v1/companies/nope/",
    ]
    return [client.get(url).data for url in urls]

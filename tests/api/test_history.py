"""History endpoints: every change with who and the request id, for the owning organization only."""

from __future__ import annotations

import pytest

from ladder import services
from ladder.models import Level
from tests.conftest import error_of, fields_and_codes


def test_every_change_is_in_the_history_with_who_and_request_id(write_client, ladder_url, company, org):
    body = write_client.get(ladder_url).json()
    body["levels"][1]["description"] = "Owns a product area."
    write_client.put(ladder_url, body, format="json", HTTP_X_REQUEST_ID="req-42")
    history = write_client.get(f"/api/v1/companies/{company.slug}/history/").json()
    latest = history["results"][0]
    assert latest["action"] == "update" and latest["object_type"] == "level"
    assert latest["before"] == {"description": ""}
    assert latest["after"] == {"description": "Owns a product area."}
    assert latest["actor"] == "api-key:test"
    assert latest["request_id"] == "req-42"
    creations = [r for r in history["results"] if r["action"] == "create"]
    assert {r["object_type"] for r in creations} == {"ladder", "level", "alias"}
    level = Level.objects.get(code="L5")
    level_history = write_client.get(f"/api/v1/levels/{level.pk}/history/").json()["results"]
    assert [r["action"] for r in level_history] == ["update", "create", "create"]  # level + its alias
    only_levels = write_client.get(f"/api/v1/companies/{company.slug}/history/?object_type=level").json()
    assert {r["object_type"] for r in only_levels["results"]} == {"level"}


def test_history_is_for_the_owning_organization(world_public, other_write_client, read_client):
    response = read_client.get(f"/api/v1/companies/{world_public.slug}/history/")
    assert response.status_code == 403
    assert other_write_client.get(f"/api/v1/companies/{world_public.slug}/history/").status_code == 200


@pytest.fixture
def world_public(other_public_company, framework):
    services.ladder_document_put(company=other_public_company, framework=framework, levels=[])
    return other_public_company


def test_history_refuses_a_bad_page_size(write_client, company):
    body = error_of(write_client.get(f"/api/v1/companies/{company.slug}/history/?page_size=null"), 400)
    assert ("page_size", "invalid") in fields_and_codes(body)

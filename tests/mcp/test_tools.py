"""The MCP server through the SDK's own client: every tool, tenancy, and errors with the API's codes.

In-process tests connect ``mcp.Client`` to the real server over the SDK's memory transport (JSON-RPC
framing included). The test body is synchronous and enters the client with ``async_to_sync``, so the
tools' database work (``sync_to_async``, thread-sensitive) runs in the test's own thread and sees its
transaction. The Streamable HTTP test serves the real ASGI app with uvicorn on a local port.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from mcp import Client

from ladder.choices import KeyRole
from ladder.mcp.server import build_server
from ladder.models import Organization
from tests.conftest import key_client
from tests.factories import make_key
from tests.mcp.conftest import TOOL_NAMES


def call(key: str, name: str, arguments: dict[str, Any]):
    """One tool call through the SDK client, in-process over the memory transport."""

    async def run():
        async with Client(build_server(api_key=key), mode="legacy") as client:
            return await client.call_tool(name, arguments)

    return async_to_sync(run)()


def ok(key: str, name: str, arguments: dict[str, Any]) -> dict:
    result = call(key, name, arguments)
    assert not result.is_error, result.content
    return result.structured_content


def failed(key: str, name: str, arguments: dict[str, Any]) -> dict:
    result = call(key, name, arguments)
    assert result.is_error, result.structured_content
    body = result.structured_content
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["code"] in result.content[0].text  # the model reads the code in the text, too
    return body


@pytest.fixture
def demo_key(demo) -> str:
    return make_key(Organization.objects.get(slug="demo"), KeyRole.READ, name="assistant")[1]


@pytest.fixture
def outsider_key(demo, other_org) -> str:
    """A key of an organization that owns none of the demo companies (only public ones are visible)."""
    return make_key(other_org, KeyRole.READ, name="outsider")[1]


def test_tools_are_listed_with_typed_schemas_and_descriptions(demo_key):
    async def run():
        async with Client(build_server(api_key=demo_key), mode="legacy") as client:
            return (await client.list_tools()).tools

    tools = {t.name: t for t in async_to_sync(run)()}
    assert set(tools) == TOOL_NAMES
    for t in tools.values():
        assert t.input_schema["type"] == "object" and "caller" not in t.input_schema["properties"]
        assert t.output_schema["type"] == "object" and t.output_schema["properties"]
        assert len(t.description) > 100, t.name  # written for an assistant, not a stub
        assert t.annotations.read_only_hint is True
    assert tools["translate_titles"].input_schema["required"] == ["source", "target", "titles"]
    assert tools["career_path"].input_schema["properties"]["as_of"]["anyOf"][0]["format"] == "date"


# --- search_companies -----------------------------------------------------------------------------


def test_search_returns_candidates_and_marks_exact_matches(demo_key):
    partial = ok(demo_key, "search_companies", {"query": "glob"})
    assert [c["slug"] for c in partial["candidates"]] == ["globex"]
    assert partial["candidates"][0]["exact"] is False
    assert partial["candidates"][0]["frameworks"] == ["product-management"]

    exact = ok(demo_key, "search_companies", {"query": "Globex Corporation"})
    assert exact["candidates"][0]["slug"] == "globex" and exact["candidates"][0]["exact"] is True

    several = ok(demo_key, "search_companies", {"query": "a", "limit": 50})
    assert len(several["candidates"]) > 1  # never one guess when the name is vague
    assert ok(demo_key, "search_companies", {"query": "no such company"})["candidates"] == []


def test_search_shows_no_private_company_of_another_tenant(outsider_key):
    assert ok(outsider_key, "search_companies", {"query": "globex"})["candidates"] == []
    public = ok(outsider_key, "search_companies", {"query": "parallax"})["candidates"]
    assert [c["slug"] for c in public] == ["parallax"] and public[0]["is_public"] is True


def test_search_refuses_a_blank_query_with_the_validation_code(demo_key):
    body = failed(demo_key, "search_companies", {"query": "  "})
    assert body["status"] == 400 and body["code"] == "validation_error"
    assert body["errors"] == [{"code": "blank", "message": "This field may not be blank.", "field": "query"}]
    body = failed(demo_key, "search_companies", {"query": "x", "limit": 500})
    assert body["errors"][0]["field"] == "limit" and body["errors"][0]["code"] == "max_value"


# --- get_ladder -----------------------------------------------------------------------------------


def test_get_ladder_matches_the_rest_document(demo_key):
    ladder = ok(demo_key, "get_ladder", {"company": "globex"})
    rest = key_client(demo_key).get("/api/v1/companies/globex/ladders/product-management/").json()
    assert ladder == rest
    assert [lv["code"] for lv in ladder["levels"]][:3] == ["IC3", "IC4", "IC5"]
    assert ok(demo_key, "get_ladder", {"company": "globex", "framework": "product-management"}) == rest


def test_get_ladder_of_another_tenants_private_company_is_not_found(outsider_key):
    body = failed(outsider_key, "get_ladder", {"company": "globex"})
    assert body["status"] == 404 and body["code"] == "not_found" and body["errors"][0]["field"] == "company"
    assert ok(outsider_key, "get_ladder", {"company": "parallax"})["company"] == "parallax"


def test_get_ladder_names_a_missing_framework(demo_key):
    body = failed(demo_key, "get_ladder", {"company": "globex", "framework": "engineering"})
    assert body["status"] == 404 and body["code"] == "not_found" and body["errors"][0]["field"] == "framework"


def test_get_ladder_needs_the_framework_when_a_company_has_several(demo_key, framework):
    from ladder.models import Company, Framework, Ladder

    other = Framework.objects.create(slug="engineering", name="Engineering")
    Ladder.objects.create(company=Company.objects.get(slug="globex"), framework=other)
    body = failed(demo_key, "get_ladder", {"company": "globex"})
    assert body["status"] == 400 and body["code"] == "framework_required"


# --- translate_titles -----------------------------------------------------------------------------


def test_translate_one_and_many_titles_like_the_rest_api(demo_key):
    titles = ["Sr. PM - Payments", "Chief Vibes Officer", {"title": "Product Manager", "code": "IC5"}]
    answer = ok(
        demo_key,
        "translate_titles",
        {"source": "globex", "target": "parallax", "titles": titles, "as_of": "2025-01-01"},
    )
    rest = key_client(demo_key).post(
        "/api/v1/translate",
        {"source": "globex", "target": "parallax", "titles": titles, "as_of": "2025-01-01"},
        format="json",
    )
    assert answer == rest.json()
    assert answer["summary"] == {"total": 3, "translated": 2, "unresolved": 1}
    assert answer["results"][0]["target_level"]["title"] == "Senior Product Manager"
    assert answer["results"][1]["error"]["code"] == "unresolved_title"
    assert answer["results"][2]["input"] == {"title": "Product Manager", "code": "IC5"}

    one = ok(demo_key, "translate_titles", {"source": "globex", "target": "reference", "titles": ["VP of Product"]})
    assert one["results"][0]["target_level"]["title"] == "VP of Product" and one["target"] == "reference"


def test_translate_from_another_tenants_private_company_is_not_found(outsider_key, demo_key):
    body = failed(outsider_key, "translate_titles", {"source": "globex", "target": "parallax", "titles": ["PM"]})
    rest = key_client(outsider_key).get("/api/v1/translate?source=globex&target=parallax&title=PM")
    assert rest.status_code == 404
    assert body == rest.json()  # the same status, code, message and field as the REST API
    assert body["code"] == "company_not_found" and body["errors"][0]["field"] == "source"


def test_translate_validation_errors_carry_the_api_codes_and_fields(demo_key):
    body = failed(demo_key, "translate_titles", {"source": "g" * 65, "target": "parallax", "titles": ["PM"]})
    assert body["status"] == 400 and body["code"] == "validation_error"
    assert [(e["code"], e["field"]) for e in body["errors"]] == [("max_length", "source")]
    body = failed(demo_key, "translate_titles", {"source": "globex", "target": "parallax", "titles": [""] * 10_001})
    assert [(e["code"], e["field"]) for e in body["errors"]] == [("max_length", "titles")]


def test_translate_argument_of_the_wrong_type_is_a_tool_error(demo_key):
    result = call(demo_key, "translate_titles", {"source": "globex", "target": "parallax", "titles": "PM"})
    assert result.is_error  # refused by the input schema before any work


# --- career_path ----------------------------------------------------------------------------------


def test_career_path_matches_the_rest_answer(demo_key):
    answer = ok(demo_key, "career_path", {"company": "globex", "title": "Sr. PM"})
    rest = key_client(demo_key).get("/api/v1/career-path?company=globex&title=Sr.%20PM").json()
    assert answer == rest
    # The next rung on the track (Principal PM) comes first, then the branches (Group PM, Director).
    assert [n["reference_level"] for n in answer["next_levels"]] == ["principal-pm"]
    assert {b["reference_level"] for b in answer["branches"]} >= {"group-pm"}


def test_career_path_errors_use_the_resolution_codes(demo_key, outsider_key):
    unresolved = failed(demo_key, "career_path", {"company": "globex", "title": "Chief Vibes Officer"})
    assert unresolved["status"] == 404 and unresolved["code"] == "unresolved_title"
    ambiguous = failed(demo_key, "career_path", {"company": "globex", "title": "Product Manager"})
    assert ambiguous["status"] == 400 and ambiguous["code"] == "ambiguous_title"
    assert "IC4" in ambiguous["message"] and "IC5" in ambiguous["message"]
    chosen = ok(demo_key, "career_path", {"company": "globex", "title": "Product Manager", "code": "IC5"})
    assert chosen["level"]["code"] == "IC5"
    hidden = failed(outsider_key, "career_path", {"company": "globex", "title": "Sr. PM"})
    assert hidden["status"] == 404 and hidden["code"] == "company_not_found"


def test_get_ladder_reads_the_version_in_effect_on_a_day(demo_key, demo):
    from datetime import date, timedelta

    writer = make_key(Organization.objects.get(slug="demo"), KeyRole.WRITE, name="editor")[1]
    url = "/api/v1/companies/acme/ladders/product-management/"
    body = key_client(writer).get(url).json()
    body["levels"][0]["title"] = "Product Manager Renamed Later"
    future = (date.today() + timedelta(days=30)).isoformat()
    scheduled = key_client(writer).put(url + f"?effective_from={future}", body, format="json")
    assert scheduled.status_code == 202, scheduled.content
    now = ok(demo_key, "get_ladder", {"company": "acme"})
    later = ok(demo_key, "get_ladder", {"company": "acme", "as_of": future})
    assert now["levels"][0]["title"] != "Product Manager Renamed Later"
    assert later["levels"][0]["title"] == "Product Manager Renamed Later"
    rest = key_client(demo_key).get(url, {"as_of": future}).json()
    assert later.pop("version") is None  # a day's version is named by `number` and `status`
    assert later == rest and rest["status"] == "scheduled"


# --- understand_titles ----------------------------------------------------------------------------


def test_understand_titles_matches_the_rest_answer_and_refuses_other_families(demo_key):
    titles = ["Senior Director of Product Management (m/w/d)", "Senior Project Manager", "Sr. PM"]
    answer = ok(demo_key, "understand_titles", {"titles": titles})
    rest = key_client(demo_key).post("/api/v1/titles/understand", {"titles": titles}, format="json").json()
    assert answer == rest
    director, project, senior = answer["results"]
    assert director["error"] is None and director["understanding"]["family"] == "product-management"
    assert project["error"]["code"] == "other_job_family"
    assert project["reference_level"] is None and project["confidence"] < 0.5
    assert senior["reference_level"]["slug"] == "senior-pm"


def test_understand_titles_errors_use_the_api_codes(demo_key):
    unknown = failed(demo_key, "understand_titles", {"titles": ["PM"], "framework": "no-such-framework"})
    assert unknown["status"] == 404 and unknown["code"] == "framework_not_found"


# --- compare_ladders ------------------------------------------------------------------------------


def test_compare_ladders_matches_the_rest_answer(demo_key):
    answer = ok(demo_key, "compare_ladders", {"companies": ["globex", "parallax"]})
    rest = key_client(demo_key).get("/api/v1/compare", {"companies": "globex,parallax"}).json()
    assert answer == rest
    assert [c["key"] for c in answer["columns"]] == ["reference", "globex", "parallax"]
    assert all(b["scale_from"] < b["scale_to"] for c in answer["columns"] for b in c["boxes"])


def test_compare_ladders_hides_other_tenants_and_checks_arguments(demo_key, outsider_key):
    hidden = failed(outsider_key, "compare_ladders", {"companies": ["globex"]})
    assert hidden["status"] == 404 and hidden["code"] == "company_not_found"
    bad = failed(demo_key, "compare_ladders", {"companies": ["globex"], "links": "sideways"})
    assert bad["status"] == 400 and bad["errors"][0]["field"] == "links"


# --- authentication -------------------------------------------------------------------------------


def test_an_unknown_revoked_or_expired_key_is_refused_on_every_tool(demo, org):
    from datetime import timedelta

    from django.utils import timezone

    revoked, revoked_key = make_key(org, KeyRole.READ, name="revoked")
    revoked.revoked = True
    revoked.save()
    _, expired_key = make_key(org, KeyRole.READ, name="old", expiry_date=timezone.now() - timedelta(days=1))
    for key, message in (
        ("nope.nope", "Invalid or revoked API key."),
        (revoked_key, "Invalid or revoked API key."),
        (expired_key, "This API key has expired."),
    ):
        body = failed(key, "search_companies", {"query": "globex"})
        assert (body["status"], body["code"], body["message"]) == (401, "authentication_failed", message)

"""The MCP server over streamable HTTP and stdio: the API key is checked per request and before serving."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import httpx2
import pytest
import uvicorn
from asgiref.sync import async_to_sync
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from ladder.choices import KeyRole
from ladder.mcp.server import build_server, http_app
from ladder.models import Organization
from tests.factories import CompanyFactory, make_key
from tests.mcp.conftest import TOOL_NAMES


def test_a_key_revoked_while_the_server_runs_is_refused_at_the_next_call(demo, org):
    api_key, key = make_key(org, KeyRole.READ, name="soon-revoked")
    CompanyFactory(organization=org, slug="own-co", name="Own Co")

    async def run():
        async with Client(build_server(api_key=key), mode="legacy") as client:
            first = await client.call_tool("search_companies", {"query": "own co"})
            await _revoke(api_key)
            second = await client.call_tool("search_companies", {"query": "own co"})
            return first, second

    first, second = async_to_sync(run)()
    assert not first.is_error and first.structured_content["candidates"][0]["slug"] == "own-co"
    assert second.is_error and second.structured_content["code"] == "authentication_failed"


async def _revoke(api_key):
    from asgiref.sync import sync_to_async

    api_key.revoked = True
    await sync_to_async(api_key.save, thread_sensitive=True)()


def _free_port() -> int:
    """A port the system has free now (it picks one for port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_server(transactional_db):
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(http_app(build_server(), host="127.0.0.1"), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_streamable_http_takes_the_key_from_each_requests_header(http_server, demo):
    key = make_key(Organization.objects.get(slug="demo"), KeyRole.READ, name="http")[1]
    outsider = make_key(Organization.objects.create(slug="elsewhere", name="Elsewhere"), KeyRole.READ)[1]

    async def session(api_key: str):
        http = httpx2.AsyncClient(headers={"Authorization": f"Api-Key {api_key}"}, timeout=30)
        async with http, Client(streamable_http_client(http_server, http_client=http)) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            found = await client.call_tool("search_companies", {"query": "globex"})
            translated = await client.call_tool(
                "translate_titles", {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
            )
            return tools, found, translated

    tools, found, translated = async_to_sync(session)(key)
    assert tools == TOOL_NAMES
    assert found.structured_content["candidates"][0]["slug"] == "globex"
    assert translated.structured_content["results"][0]["target_level"]["title"] == "Senior Product Manager"

    _, found, translated = async_to_sync(session)(outsider)
    assert found.structured_content["candidates"] == []
    assert translated.is_error and translated.structured_content["code"] == "company_not_found"

    for headers in ({}, {"Authorization": "Api-Key nope.nope"}, {"Authorization": "Bearer x"}):
        refused = httpx.post(
            http_server,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={**headers, "Accept": "application/json, text/event-stream"},
        )
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] in ("not_authenticated", "authentication_failed")


def test_stdio_mode_needs_a_valid_key_before_it_serves(db, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.delenv("PMLADDER_API_KEY", raising=False)
    with pytest.raises(CommandError, match="Set PMLADDER_API_KEY"):
        call_command("mcp")
    monkeypatch.setenv("PMLADDER_API_KEY", "nope.nope")
    with pytest.raises(CommandError, match="Invalid or revoked API key"):
        call_command("mcp")

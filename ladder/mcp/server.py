"""The pmladder MCP server: the tools of ``ladder.mcp.tools`` over stdio or Streamable HTTP.

``build_server(api_key=...)`` serves every call with one key (stdio: ``PMLADDER_API_KEY``; tests).
``build_server()`` takes the key from each HTTP request's ``Authorization: Api-Key <key>`` header;
``http_app`` wraps it so that a request without a valid key is refused with 401 before it reaches
the protocol, and each tool call verifies its request's key again (revocation counts at once).
"""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from ladder.mcp import tools
from ladder.mcp.runtime import KEYWORD, KeySource, ToolFailure, caller_for_key, register

INSTRUCTIONS = """\
pmladder keeps companies' Product Management career ladders on one reference scale and translates
job titles between companies. Always resolve a company name to its slug with search_companies
first and never guess a slug; if several companies match, ask the user. Use translate_titles to map
titles between companies (or to `reference`, the standard ladder), career_path for where a title
leads, and get_ladder to show a company's levels. Report confidence below 0.5 and per-title errors
as uncertainty, not as facts. Failed calls carry a machine-readable `code` (not_found,
validation_error, unresolved_title, ambiguous_title, company_not_found, framework_required, …).
"""


def build_server(*, api_key: str | None = None) -> MCPServer:
    server = MCPServer(name="pmladder", title="pmladder career ladders", instructions=INSTRUCTIONS, version="1.0.0")
    keys = KeySource(fixed_key=api_key)
    for fn, title in tools.TOOLS:
        register(server, keys, fn, title=title)
    return server


_verify = sync_to_async(caller_for_key, thread_sensitive=True)
_close_connections = sync_to_async(connections.close_all, thread_sensitive=True)


class ApiKeyGate:
    """ASGI middleware: every HTTP request needs a valid ``Authorization: Api-Key <key>`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, _closing_connections_on_shutdown(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            key = KeySource().key_for(headers)
            await _verify(key)
        except ToolFailure as failure:
            await _refuse(send, failure.body)
            return
        await self.app(scope, receive, send)


def _closing_connections_on_shutdown(send: Send) -> Send:
    """The database connections of the tools' thread close with the server, not when the process ends."""

    async def wrapped(message) -> None:
        if message["type"] == "lifespan.shutdown.complete":
            await _close_connections()
        await send(message)

    return wrapped


async def _refuse(send: Send, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": body["status"],
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"www-authenticate", KEYWORD.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def http_app(server: MCPServer, *, host: str) -> ASGIApp:
    """The Streamable HTTP app (at ``/mcp``), stateless and answering JSON, behind the key check."""
    security = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        # Bound to other interfaces: accept the host names the REST API accepts (DNS rebinding guard).
        hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=bool(hosts) and "*" not in settings.ALLOWED_HOSTS,
            allowed_hosts=[*hosts, *(f"{h}:*" for h in hosts)],
            allowed_origins=[],
        )
    app = server.streamable_http_app(stateless_http=True, json_response=True, host=host, transport_security=security)
    return ApiKeyGate(app)

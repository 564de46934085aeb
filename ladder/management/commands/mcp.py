"""``manage.py mcp``: the MCP server, over stdio (default) or Streamable HTTP (``--http``)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from ladder.mcp.runtime import ToolFailure, caller_for_key
from ladder.mcp.server import build_server, http_app


class Command(BaseCommand):
    help = (
        "Serve pmladder's tools to MCP clients. Over stdio (the default) every call uses the API key in "
        "PMLADDER_API_KEY; with --http each request carries its own `Authorization: Api-Key <key>` header."
    )

    def add_arguments(self, parser):
        parser.add_argument("--http", action="store_true", help="Serve Streamable HTTP at /mcp instead of stdio.")
        parser.add_argument("--host", default="127.0.0.1", help="HTTP: the address to bind (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8001, help="HTTP: the port (default 8001).")

    def handle(self, *args, **options):
        if options["http"]:
            import uvicorn

            app = http_app(build_server(), host=options["host"])
            self.stderr.write(
                f"pmladder MCP server (Streamable HTTP) at http://{options['host']}:{options['port']}/mcp"
            )
            uvicorn.run(app, host=options["host"], port=options["port"], log_level="warning")
            return
        key = os.environ.get("PMLADDER_API_KEY", "").strip()
        if not key:
            raise CommandError("Set PMLADDER_API_KEY to an API key of your organization (stdio mode).")
        try:
            caller_for_key(key)  # fail at start, not at the first call, when the key is wrong
        except ToolFailure as failure:
            raise CommandError(f"PMLADDER_API_KEY: {failure.body['message']}") from None
        # stdout carries the protocol: nothing else may be written to it.
        build_server(api_key=key).run("stdio")

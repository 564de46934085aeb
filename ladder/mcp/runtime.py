"""How a tool call runs: who is calling (API key), Django's database handling, and errors.

A tool is a plain function ``fn(caller, **arguments)`` that calls the same services and selectors as
the REST views. ``register`` turns it into an MCP tool: the SDK sees the function's arguments (minus
``caller``) and return type as the tool's input and output schemas; at call time the API key is
verified exactly as the REST API verifies it, the tenancy facts are built by ``ladder.tenancy``, and
the function runs in Django's thread for synchronous code with fresh database connections.

Errors come back as MCP tool errors (``is_error``) whose structured content is the REST API's error
body, ``{"status", "code", "message", "errors": [...]}``, with the same codes.
"""

from __future__ import annotations

import inspect
import json
import logging
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from rest_framework import exceptions as drf_exceptions

from ladder import audit, directory
from ladder.api.errors import error_body
from ladder.apikeys import InvalidApiKey, verify_key
from ladder.error_status import STATUS_BY_KIND
from ladder.exceptions import ApplicationError
from ladder.serializer_fields import flatten_errors
from ladder.tenancy import Caller, caller_for_api_key

KEYWORD = "Api-Key"
logger = logging.getLogger("pmladder.mcp")


class ToolFailure(Exception):
    """A failed call, carrying the REST API's error body."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None, errors=None) -> None:
        super().__init__(message)
        if errors is None:
            errors = [{"code": code, "message": message, "field": field}]
        self.body = error_body(status, code, message, errors)


@dataclass(frozen=True)
class KeySource:
    """Where a call's API key comes from: one fixed key (stdio, tests) or each HTTP request's header."""

    fixed_key: str | None = None

    def key_for(self, headers: Mapping[str, str] | None) -> str:
        if self.fixed_key is not None:
            return self.fixed_key
        header = (headers or {}).get("authorization", "")
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD or not key:
            raise ToolFailure(401, "not_authenticated", "Send `Authorization: Api-Key <key>`.")
        return key


def caller_for_key(key: str) -> Caller:
    """Verify the key as the REST authentication does and build the caller's tenancy facts."""
    try:
        api_key = verify_key(key)
    except InvalidApiKey as err:
        raise ToolFailure(401, "authentication_failed", err.message) from err
    audit.bind_api_key(api_key)
    return caller_for_api_key(api_key)


def _failure_from(exc: Exception) -> ToolFailure | None:
    if isinstance(exc, ToolFailure):
        return exc
    if isinstance(exc, ApplicationError):  # the status the REST API answers for the same error
        return ToolFailure(STATUS_BY_KIND[exc.kind], exc.code, exc.message, errors=exc.errors)
    if isinstance(exc, drf_exceptions.ValidationError):
        return ToolFailure(400, "validation_error", "The request is invalid.", errors=flatten_errors(exc.detail))
    return None


def _error_result(failure: ToolFailure) -> CallToolResult:
    text = json.dumps(failure.body, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=failure.body, is_error=True)


def _close_old_connections() -> None:
    """What Django does around each request (``CONN_MAX_AGE``, broken connections).

    A connection inside a transaction is left alone: that is a test's transaction, which the tool's
    work joins (the test calls in from the thread that holds it).
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def _run_sync(fn: Callable[..., Any], key: str, arguments: dict[str, Any]) -> Any:
    """Runs in Django's thread for synchronous code, like a request: fresh connections before and after."""
    _close_old_connections()
    token = audit.begin_request(request_id="")
    try:
        with directory.request_scope():
            return fn(caller_for_key(key), **arguments)
    finally:
        audit.end_request(token)
        _close_old_connections()


_run = sync_to_async(_run_sync, thread_sensitive=True)


def register(server: MCPServer, keys: KeySource, fn: Callable[..., Any], *, title: str) -> None:
    """Add ``fn(caller, **arguments)`` to the server as a read-only tool named after the function."""
    hints = typing.get_type_hints(fn, include_extras=True)
    params = [p for name, p in inspect.signature(fn).parameters.items() if name != "caller"]
    params = [p.replace(annotation=hints[p.name]) for p in params]
    ctx_param = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)

    async def tool(ctx: Context, **arguments: Any) -> Any:
        try:
            key = keys.key_for(ctx.headers)
            return await _run(fn, key, arguments)
        except Exception as exc:
            failure = _failure_from(exc)
            if failure is None:  # a defect: logged with its traceback, answered like the REST API's 500
                logger.exception("MCP tool %s failed", fn.__name__)
                failure = ToolFailure(500, "server_error", "An unexpected error occurred; it has been logged.")
            return _error_result(failure)

    tool.__name__ = tool.__qualname__ = fn.__name__
    tool.__doc__ = fn.__doc__
    tool.__signature__ = inspect.Signature([*params, ctx_param], return_annotation=hints["return"])
    tool.__annotations__ = {**{p.name: p.annotation for p in params}, "ctx": Context, "return": hints["return"]}
    server.add_tool(
        tool,
        title=title,
        annotations=ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False),
        structured_output=True,
    )

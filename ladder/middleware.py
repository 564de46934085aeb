"""Request-level middleware: request ids and request logs, the body size limit, the audit context, the
query parameters an API operation declares, and the prompt release of what a response held."""

from __future__ import annotations

import logging
import re
import time
import uuid
from functools import partial

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError

from ladder import audit, directory, health
from ladder.api import parameters
from ladder.api.errors import RETRY_AFTER_SECONDS, json_error, request_too_large

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
request_log = logging.getLogger("pmladder.request")


class RequestIdMiddleware:
    """Accept a caller's ``X-Request-ID`` (if sane) or make one; return it on every answer; log the request.

    One log line per request: id, method, path, status, duration and who called (a user name or an API
    key's name, never the key).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "caller": getattr(request, "caller_label", "anonymous"),
            },
        )
        return response


class BodySizeLimitMiddleware:
    """Refuse bodies over ``MAX_REQUEST_BODY_BYTES`` with 413 before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BODY_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return request_too_large()
        return self.get_response(request)


class RequestLimitsMiddleware:
    """Refuse, with a JSON error, requests that would fail further in: NUL characters in the path or the
    query (PostgreSQL cannot store or compare them), and URIs or headers over the limits below. The
    limits sit under gunicorn's own (gunicorn.conf.py), whose answers are HTML."""

    MAX_URI = 8000  # the longest query the schema allows is about 5.2 kB
    MAX_HEADERS = 100
    MAX_HEADER_BYTES = 8190

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        uri_length = len(meta.get("RAW_URI") or "") or len(request.path) + len(meta.get("QUERY_STRING", "")) + 1
        if uri_length > self.MAX_URI:
            return json_error(414, "uri_too_long", f"The request URI is longer than {self.MAX_URI} characters.")
        headers = [key for key in meta if key.startswith("HTTP_")]
        if len(headers) > self.MAX_HEADERS:
            return json_error(431, "too_many_headers", f"The request has more than {self.MAX_HEADERS} headers.")
        for key in headers:
            value = meta[key]
            if isinstance(value, str) and len(value) > self.MAX_HEADER_BYTES:
                name = key[5:].replace("_", "-").title()
                return json_error(
                    431, "header_too_large", f"A header is longer than {self.MAX_HEADER_BYTES} bytes.", field=name
                )
        if "\x00" in request.path:
            return json_error(400, "invalid_text", "The path may not contain NUL characters.", field="path")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return json_error(
                    400,
                    "invalid_text",
                    "Query parameters may not contain NUL characters.",
                    field=name.replace("\x00", ""),
                )
        return self.get_response(request)


class QueryParameterMiddleware:
    """Refuse, before the view runs, a query parameter the API operation does not declare: 400
    ``unknown_query_parameter`` naming it (``ladder.api.parameters``), instead of an answer that
    ignored it. Views outside the API (the admin, ``/compare/``, the docs) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.GET:
            return None
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        declared = parameters.declared_query_parameters(view_func, request.method, urlconf)
        if declared is None:
            return None
        unknown = [name for name in request.GET if name not in declared]
        return parameters.unknown_query_parameters_response(unknown, declared) if unknown else None


class DatabaseUnavailableMiddleware:
    """Outside the API views (the admin, the docs pages), a database that cannot be reached answers
    503 with ``Retry-After`` in the one error shape too, not a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) and not isinstance(exception, IntegrityError):
            request_log.warning("database unavailable: %s", exception)
            response = json_error(503, "service_unavailable", "The database is unavailable; retry shortly.")
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return None


class AuditContextMiddleware:
    """Makes the request's user and id known to the change history (after authentication), and opens
    the request's scope for ``ladder.directory`` (its generation is read once per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.begin_request(request_id=getattr(request, "id", ""), user=getattr(request, "user", None))
        try:
            with directory.request_scope():
                return self.get_response(request)
        finally:
            request.caller_label = audit.current_actor().label  # for the request log line
            audit.end_request(token)


class HealthProbeMiddleware:
    """Answer ``/healthz`` and ``/readyz`` first, before the host check of ``ALLOWED_HOSTS``.

    Load balancers probe instances by IP address, which is rarely an allowed host name; the probes
    reveal nothing and change nothing, so they need no host check, no session and no log line.
    """

    probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.probes.get(request.path)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class ReleaseResponseMiddleware:
    """Lets a DRF response's data go as soon as the server has sent it.

    DRF links the view and its response both ways (``view.response`` and the response's
    ``renderer_context["view"]``), the request and its parser context too, and a viewset to itself
    (its handlers are bound methods kept on the instance). Those cycles keep the parsed body and the
    answer's objects alive until Python's cyclic collector reaches its oldest generation, which it
    does rarely: a worker answering 10,000-title translations grew by about 30 MB per request until
    it did. Unlinking them when the response is closed (nothing uses the view after that) frees the
    objects at once, by reference counting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "renderer_context", None) is not None:
            response._resource_closers.append(partial(_unlink, response))
        return response


def _unlink(response) -> None:
    context, response.renderer_context = response.renderer_context, None
    view = context.get("view")
    drf_request = context.get("request")
    if view is not None:
        vars(view).clear()
    if drf_request is not None:
        drf_request.parser_context = None

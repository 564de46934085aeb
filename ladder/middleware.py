"""Request-level middleware: request ids and the body size limit."""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from ladder import audit
from ladder.api.errors import request_too_large

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Accept a caller's ``X-Request-ID`` (if sane) or make one; return it on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
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


class AuditContextMiddleware:
    """Makes the request's user and id known to the change history (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.begin_request(request_id=getattr(request, "id", ""), user=getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            audit.end_request(token)

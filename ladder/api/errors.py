"""One error shape for every 4xx and 5xx answer, inside DRF and out.

    {"status": 400, "code": "validation_error", "message": "...",
     "errors": [{"code": "required", "message": "...", "field": "levels[3].aliases[1].title"}]}

``code`` is machine-readable and stable; ``errors`` lists every problem with the field it concerns
(``null`` when the problem is the request as a whole).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ladder.error_status import STATUS_BY_KIND
from ladder.exceptions import ApplicationError, PreconditionFailed
from ladder.serializer_fields import flatten_errors

logger = logging.getLogger("pmladder.errors")


def error_body(status_code: int, code: str, message: str, errors: list[dict] | None = None) -> dict:
    """The body of an error answer."""
    return {
        "status": status_code,
        "code": code,
        "message": message,
        "errors": errors if errors is not None else [{"code": code, "message": message, "field": None}],
    }


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {
            key: [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in errs for m in e.messages]
            for key, errs in exc.error_dict.items()
        }
    return [exceptions.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]


def application_error_response(exc: ApplicationError) -> Response:
    """The one mapping from the domain's error tree to HTTP."""
    status_code = STATUS_BY_KIND[exc.kind]
    headers = {"ETag": exc.current_etag} if isinstance(exc, PreconditionFailed) and exc.current_etag else {}
    return Response(error_body(status_code, exc.code, exc.message, exc.errors), status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF exception handler that answers every error in the one shape."""
    if isinstance(exc, ApplicationError):
        return application_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            error_body(413, "request_too_large", "The request body is larger than this service accepts."),
            status=413,
        )
    elif isinstance(exc, (OperationalError, InterfaceError)) and not isinstance(exc, IntegrityError):
        return database_unavailable_response(exc)
    elif isinstance(exc, IntegrityError):
        logger.warning("integrity error reached the API: %s", exc)
        return Response(
            error_body(409, "conflict", "The change conflicts with the current data; read it again and retry."),
            status=409,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled error", exc_info=exc)
        return Response(
            error_body(500, "server_error", "An unexpected error occurred; it has been logged."), status=500
        )
    if isinstance(exc, exceptions.ValidationError):
        items = flatten_errors(exc.detail)
        response.data = error_body(400, "validation_error", "The request is invalid.", items)
        return response
    detail = getattr(exc, "detail", None)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    if isinstance(exc, (Http404, exceptions.NotFound)):
        code, message = "not_found", "Not found."
    elif isinstance(exc, PermissionDenied):
        code, message = "permission_denied", "You do not have permission to perform this action."
    else:
        message = str(detail) if detail is not None else str(exc)
    response.data = error_body(response.status_code, code, message, extra_errors(exc))
    return response


RETRY_AFTER_SECONDS = 5


def database_unavailable_response(exc: Exception) -> Response:
    """503 with ``Retry-After`` while the database cannot be reached (a restart, a failover, a killed
    backend): the request changed nothing, and the client should send it again shortly."""
    logger.warning("database unavailable: %s", exc)
    connection.close_if_unusable_or_obsolete()
    return Response(
        error_body(503, "service_unavailable", "The database is unavailable; retry shortly. Nothing was changed."),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def extra_errors(exc: Exception) -> list[dict] | None:
    """Errors that carry their own field list (see ``FieldError``)."""
    return getattr(exc, "errors", None)


def json_error(status_code: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    """An error answer outside DRF (middleware, Django's error views), in the one shape."""
    errors = [{"code": code, "message": message, "field": field}]
    return JsonResponse(error_body(status_code, code, message, errors), status=status_code)


# Django's own error views, for URLs outside DRF (unknown paths, CSRF failures, crashes).
def bad_request(request, exception=None) -> JsonResponse:
    return json_error(400, "bad_request", "The request could not be understood.")


def permission_denied(request, exception=None) -> JsonResponse:
    return json_error(403, "permission_denied", "You do not have permission to perform this action.")


def page_not_found(request, exception=None) -> JsonResponse:
    return json_error(404, "not_found", "Not found.")


API_NOT_FOUND = "api-not-found"  # the URL name of the catch-all below


@csrf_exempt
def api_not_found(request, *args, **kwargs) -> HttpResponse:
    """Any URL under ``/api/`` that names no endpoint, whatever the method: the JSON 404.

    Django answers its HTML debug page instead of ``handler404`` when DEBUG is on; this catch-all, the
    last URL pattern, answers in the one shape either way. It also makes every such path resolve, so
    CommonMiddleware no longer appends a missing trailing slash: a GET or HEAD of a known endpoint
    without it is redirected here, as before; other methods (whose body a redirect would lose, and
    for which Django raised a 500 with DEBUG on) get the 404 naming the URL with the slash.
    """
    path = request.path_info
    if settings.APPEND_SLASH and not path.endswith("/") and _names_an_endpoint(f"{path}/", request):
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return json_error(404, "not_found", f"Not found. The endpoint is {request.path}/ (with a trailing slash).")
    return json_error(404, "not_found", "Not found.")


def _names_an_endpoint(path: str, request) -> bool:
    try:
        match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name != API_NOT_FOUND


def server_error(request) -> JsonResponse:
    return json_error(500, "server_error", "An unexpected error occurred; it has been logged.")


def csrf_failure(request, reason: str = "") -> JsonResponse:
    return json_error(403, "csrf_failed", f"CSRF verification failed: {reason}".strip())


def request_too_large() -> JsonResponse:
    return json_error(
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        "request_too_large",
        "The request body is larger than this service accepts.",
    )

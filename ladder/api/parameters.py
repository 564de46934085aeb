"""Query parameters: an API operation takes the ones it declares and refuses every other one.

A parameter an operation does not know used to be ignored, so a typo (``?exernal_id=``) or a filter
the resource lacks answered the whole list as if nothing had been asked. The names an operation takes
are read from the operation drf-spectacular builds for ``openapi.yaml``: filter set fields, ordering,
pagination, ``@extend_schema`` parameters and query serializers, and the formats of the view's
renderers. The check and the schema therefore cannot disagree, and a new parameter is allowed by
declaring it where the schema reads it. DRF's ``format`` (content negotiation, which every view does,
the browsable API included) is taken everywhere.

``ladder.middleware.QueryParameterMiddleware`` applies the rule to every request before its view runs.
"""

from __future__ import annotations

import functools
import posixpath
import threading
import weakref
from collections.abc import Callable, Iterable

from django.http import JsonResponse
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.settings import spectacular_settings
from rest_framework.settings import api_settings

from ladder.api.errors import error_body

UNKNOWN_QUERY_PARAMETER = "unknown_query_parameter"

_known: dict[tuple[Callable, str, str], frozenset[str] | None] = {}
_lock = threading.Lock()  # schema inspection is not thread-safe; each answer is kept for the process


def declared_query_parameters(callback: Callable, method: str, urlconf: str) -> frozenset[str] | None:
    """The query parameters of the API operation ``callback`` serves for ``method``, or None when it is
    no documented operation (not an API view, excluded from the schema, a method the view lacks)."""
    key = (callback, "GET" if method == "HEAD" else method, urlconf)
    try:
        return _known[key]
    except KeyError:
        pass
    with _lock:
        if key not in _known:
            _known[key] = _declared(*key)
        return _known[key]


@functools.cache
def _endpoints(urlconf: str) -> tuple[dict[tuple[Callable, str], tuple[str, str]], str]:
    """Every operation of the URLconf, as the schema generator enumerates them: ``(callback, method)``
    to its path and path regex; and the common path prefix (operation ids and tags depend on it)."""
    found: dict[tuple[Callable, str], tuple[str, str]] = {}
    for path, path_regex, method, callback in EndpointEnumerator(urlconf=urlconf).get_api_endpoints():
        found.setdefault((callback, method), (path, path_regex))
    paths = [path for path, _ in found.values()]
    prefix = spectacular_settings.SCHEMA_PATH_PREFIX
    if prefix is None:
        prefix = posixpath.commonpath(paths) if len(paths) > 1 else "/"
    return found, prefix if prefix.startswith("^") else f"^{prefix}"


def _declared(callback: Callable, method: str, urlconf: str) -> frozenset[str] | None:
    endpoints, prefix = _endpoints(urlconf)
    if (callback, method) not in endpoints:
        return None
    path, path_regex = endpoints[callback, method]
    generator = SchemaGenerator(urlconf=urlconf)
    view = generator.create_view(callback, method)
    # An inspector of its own (held here, lent to the view as the generator does): the one set on a view
    # class is shared by every instance, and another thread may be generating the schema with it.
    inspector = view.schema.__class__()
    view.schema = weakref.proxy(inspector)
    path = generator.coerce_path(path, method, view)
    view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
    operation = inspector.get_operation(path, path_regex, prefix, method, ComponentRegistry())
    if not operation:
        return None
    names = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
    return frozenset(names | {api_settings.URL_FORMAT_OVERRIDE})


def unknown_query_parameters_response(unknown: Iterable[str], declared: Iterable[str]) -> JsonResponse:
    """400 ``unknown_query_parameter``: one error per unknown name, each listing what the operation takes."""
    unknown = sorted(set(unknown))
    takes = f"this operation takes {', '.join(sorted(declared))}"
    errors = [
        {"code": UNKNOWN_QUERY_PARAMETER, "message": f'Unknown query parameter "{name}"; {takes}.', "field": name}
        for name in unknown
    ]
    names = ", ".join(f'"{name}"' for name in unknown)
    message = f"Unknown query parameter{'s' if len(unknown) > 1 else ''} {names}; {takes}."
    return JsonResponse(error_body(400, UNKNOWN_QUERY_PARAMETER, message, errors), status=400)

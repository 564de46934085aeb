"""How the translation and comparison endpoints describe themselves in the OpenAPI schema."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema

CSV_BODY = {"type": "string", "minLength": 1, "description": "A header row naming a `title` column."}


def json_or_csv(answer: type) -> dict[Any, Any]:
    """The answers of an operation that speaks CSV too (``Accept: text/csv`` or ``?format=csv``)."""
    return {(200, "application/json"): answer, (200, "text/csv"): OpenApiTypes.STR}


def operation(
    summary: str,
    *,
    query: type,
    responses: dict[Any, Any],
    tag: str = "translate",
    body: type | None = None,
    examples: list[OpenApiExample] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``extend_schema`` for a view method whose docstring is its description (one paragraph).

    ``query`` declares the query parameters; ``body``, for a POST, the JSON body, beside which a CSV
    body with a title column is accepted.
    """

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        extra: dict[str, Any] = {}
        if body is not None:
            extra["request"] = {"application/json": body, "text/csv": CSV_BODY}
        return extend_schema(
            tags=[tag],
            summary=summary,
            description=" ".join(inspect.getdoc(method).split()),
            parameters=[query],
            responses=responses,
            examples=examples,
            **extra,
        )(method)

    return decorate

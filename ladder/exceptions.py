"""The one error tree of the domain.

Services, selectors and the translation layer raise only ``ApplicationError`` subclasses. Each
carries a machine-readable ``code``, a human ``message``, the ``field`` concerned (a path such as
``levels[3].aliases[1].title``, or ``None``) and a ``kind``. Nothing here knows HTTP: the status of
each kind is in ``ladder.error_status``, which the API's exception handler (``ladder.api.errors``),
the compare page and the MCP server answer with.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    VALIDATION = "validation"  # the input is wrong; sending it again will fail again
    NOT_FOUND = "not_found"  # nothing the caller may read has that name
    CONFLICT = "conflict"  # the input is valid but clashes with what is stored (a taken slug)
    PRECONDITION = "precondition"  # If-Match named a version that is no longer current
    PERMISSION = "permission"  # the caller may read it but may not do this
    UNPROCESSABLE = "unprocessable"  # well-formed, but it contradicts an earlier request (a reused Idempotency-Key)


class ApplicationError(Exception):
    """An error a caller can act on. ``errors`` lists every place (one item unless several fields fail)."""

    kind: Kind = Kind.VALIDATION

    def __init__(self, code: str, message: str, field: str | None = None, *, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.errors = errors if errors is not None else [{"code": code, "message": message, "field": field}]


class ValidationFailed(ApplicationError):
    kind = Kind.VALIDATION


class FieldErrors(ValidationFailed):
    """Input that failed validation in one or more places; each error is
    ``{"code": str, "message": str, "field": str | None}``."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("validation_error", "The request is invalid.", errors=errors)


class NotFound(ApplicationError):
    kind = Kind.NOT_FOUND


class Conflict(ApplicationError):
    kind = Kind.CONFLICT


class PermissionDenied(ApplicationError):
    kind = Kind.PERMISSION


class Unprocessable(ApplicationError):
    kind = Kind.UNPROCESSABLE


class PreconditionFailed(ApplicationError):
    """``If-Match`` named a version that is no longer current; ``current_etag`` is the one to read."""

    kind = Kind.PRECONDITION

    def __init__(self, current_etag: str | None) -> None:
        super().__init__(
            "precondition_failed",
            "The resource changed since you read it (If-Match does not match its ETag); read it again.",
            "If-Match",
            errors=[{"code": "precondition_failed", "message": "Stale If-Match.", "field": "If-Match"}],
        )
        self.current_etag = current_etag

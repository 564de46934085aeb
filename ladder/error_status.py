"""The HTTP status of each kind of domain error (``ladder.exceptions``): one table for the API's
answers (``ladder.api.errors``), the compare page's and the MCP tools' errors."""

from __future__ import annotations

from ladder.exceptions import Kind

STATUS_BY_KIND = {
    Kind.VALIDATION: 400,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.PRECONDITION: 412,
    Kind.PERMISSION: 403,
    Kind.UNPROCESSABLE: 422,
}

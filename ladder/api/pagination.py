"""Page-number pagination with a capped page size."""

from __future__ import annotations

import re

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M``: 50 per page by default, 500 at most.

    ``page`` and ``page_size`` are whole numbers from 1; anything else answers 400 naming the
    parameter (DRF would silently fall back to the default). A larger ``page_size`` is capped at 500,
    and a page past the last one is 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        number = _whole_number(request, self.page_query_param)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Number of results per page ({self.page_size} by default; more than {self.max_page_size} "
                    f"gives {self.max_page_size})."
                )
        return parameters


def _whole_number(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise exceptions.ValidationError(
            {name: [exceptions.ErrorDetail("A whole number is required.", code="invalid")]}
        )
    # Past 18 digits the exact value no longer matters (and Python refuses to parse thousands of them).
    value = int(raw) if len(raw) <= 18 else (-1 if raw.startswith("-") else 10**18)
    if value < 1:
        raise exceptions.ValidationError({name: [exceptions.ErrorDetail("Must be at least 1.", code="min_value")]})
    return value

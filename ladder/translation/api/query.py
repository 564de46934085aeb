"""Query strings of the translation endpoints, validated with as little work as a warm request allows."""

from __future__ import annotations

import copy
import functools
from typing import Any

from ladder.serializer_fields import StrictSerializer


class FlatQuerySerializer(StrictSerializer):
    """A query of plain fields, validated on every single translation: each request gets shallow copies
    of the declared fields, where DRF deep-copies them and so re-runs every field's ``__init__`` (the
    largest cost left in a warm translation). Safe because no field here holds fields of its own."""

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


def query_of(request) -> dict[str, str]:
    """The query parameters for a query serializer: ``format`` belongs to content negotiation."""
    query = request.query_params.dict()
    query.pop("format", None)
    return query


# (query serializer, parameter, raw value) -> the value its field validated it to, in this process.
_valid_values: dict[tuple[type, str, str], Any] = {}
_VALID_VALUES_LIMIT = 50_000
_MISSING = object()


def valid_query(serializer_class: type[FlatQuerySerializer], request) -> dict[str, Any]:
    """The validated query, with each parameter's value validated once per process.

    The serializer's fields are independent (no rule spans two of them), so a query whose every
    parameter already passed its field, with every required one present, is valid as it stands: the
    same company slugs and titles recur across millions of single translations. Anything else goes
    through the serializer, which decides and words every error.
    """
    query = query_of(request)
    values: dict[str, Any] = {}
    for name, raw in query.items():
        value = _valid_values.get((serializer_class, name, raw), _MISSING)
        if value is _MISSING:
            break
        values[name] = value
    else:
        if _required_names(serializer_class) <= values.keys():
            return values
    serializer = serializer_class(data=query)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if len(_valid_values) >= _VALID_VALUES_LIMIT:
        _valid_values.clear()
    for name, raw in query.items():
        if name in data:
            _valid_values[(serializer_class, name, raw)] = data[name]
    return data


@functools.cache
def _required_names(serializer_class: type[FlatQuerySerializer]) -> frozenset[str]:
    return frozenset(name for name, field in serializer_class._declared_fields.items() if field.required)

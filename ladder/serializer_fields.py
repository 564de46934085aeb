"""The strict fields and serializers that every request body is read with (the API, the admin's
spreadsheet import, the MCP tools), and the flat form of their errors.

Two habits hold for every write body: a field the serializer does not know is an error (a typo must
not silently drop data), and a string field takes only a JSON string (``42`` is not a title).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models as dj_models
from rest_framework import exceptions, serializers

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def invalid_choice_message(value: Any, choices: Iterable[Any]) -> str:
    """The one wording of a value that is not among the choices, for every choice of the API (body
    fields, query parameters, filters): the valid values are named, so the caller need not look them up."""
    return f'"{value}" is not a valid choice; valid choices: {", ".join(str(choice) for choice in choices)}.'


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key in NON_FIELD_KEYS:
        return path
    return f"{path}.{key}" if path else str(key)


def flatten_errors(detail: Any, path: str = "") -> list[dict]:
    """Turn DRF's nested error detail into a flat list, each item naming its field path."""
    if isinstance(detail, dict):
        out: list[dict] = []
        for key, value in detail.items():
            out.extend(flatten_errors(value, _join(path, key)))
        return out
    if isinstance(detail, list):
        # A list of plain messages belongs to ``path``; a list of dicts/lists is per item.
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            return [_item(item, path) for item in detail]
        out = []
        for index, value in enumerate(detail):
            if value in ({}, [], None):
                continue
            out.extend(flatten_errors(value, _join(path, index)))
        return out
    return [_item(detail, path)]


def _item(detail: Any, path: str) -> dict:
    return {"code": getattr(detail, "code", None) or "invalid", "message": str(detail), "field": path or None}


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers, booleans and objects instead of turning them into text."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictSlugField(serializers.SlugField, StrictCharField):
    pass


class StrictFloatField(serializers.FloatField):
    """A number, given as a JSON number (not a string, not a boolean)."""

    default_error_messages = {"not_a_number": "Must be a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("not_a_number")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"not_an_integer": "Must be an integer."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_an_integer")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"not_a_boolean": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_a_boolean")
        return data


class ListingChoiceField(serializers.ChoiceField):
    """A choice whose error names the valid values (``"IC" is not a valid choice; valid choices: ic,
    management, executive.``): the choice field of every request serializer (model fields get it through
    ``StrictModelSerializer``). The schema shows it as an enum like any ChoiceField."""

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            valid = [*self.choice_strings_to_values, *(['""'] if self.allow_blank else [])]
            raise serializers.ValidationError(invalid_choice_message(kwargs.get("input"), valid), code=key)
        super().fail(key, **kwargs)


class RejectUnknownFieldsMixin:
    """Answer 400 for keys in a write body that the serializer does not declare."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        errors = {key: [serializers.ErrorDetail("Unknown field.", code="unknown_field")] for key in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not unknown or not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**exc.detail, **errors}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value


class StrictModelSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    serializer_choice_field = ListingChoiceField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        dj_models.CharField: StrictCharField,
        dj_models.TextField: StrictCharField,
        dj_models.SlugField: StrictSlugField,
        dj_models.FloatField: StrictFloatField,
        dj_models.BooleanField: StrictBooleanField,
        dj_models.PositiveIntegerField: StrictIntegerField,
        dj_models.PositiveSmallIntegerField: StrictIntegerField,
    }


class StrictSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    pass

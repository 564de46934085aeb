"""Query filters for list endpoints (django-filter).

Filters refuse what they cannot use instead of ignoring it: a typed filter (a time, a number, a
choice, a boolean) given an empty or malformed value answers 400 naming the parameter, as the
schema promises, rather than quietly returning the unfiltered list.
"""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import ChoiceField, IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from ladder.choices import SizeBand, Track
from ladder.models import Company, Level, TitleAlias
from ladder.serializer_fields import invalid_choice_message
from ladder.tenancy import caller_for, readable_company

MAX_ID = 2**63 - 1  # the largest primary key the database can hold
SLUG_MAX_LENGTH = 64  # companies, frameworks and reference levels
EXTERNAL_ID_MAX_LENGTH = 200  # as long as an external id may be


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, stepping aside when the request names none of the filter set's
    parameters: every filter would then pass the queryset through unchanged, and building and
    validating the filter form for nothing was a tenth of a short list's cost."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        named = request.query_params
        if filterset_class is not None and not any(name in named for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=title,-updated_at``: the view's ``ordering_fields``, each optionally after ``-``.

    DRF drops the terms it does not know and sorts by the default instead; here an unknown or empty
    term answers 400 naming ``ordering``, as the schema (a pattern of the allowed terms) says.
    """

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        allowed = list(getattr(view, "ordering_fields", None) or [])
        if raw is None or not allowed:
            return super().get_ordering(request, queryset, view)
        terms = raw.split(",")
        if len(raw) > _max_ordering_length(allowed) or any(term.removeprefix("-") not in allowed for term in terms):
            message = f"Order by {', '.join(allowed)}, comma-separated, each optionally after '-'."
            raise exceptions.ValidationError({self.ordering_param: [exceptions.ErrorDetail(message, code="invalid")]})
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        allowed = list(getattr(view, "ordering_fields", None) or [])
        for parameter in parameters:
            if allowed:
                term = f"-?({'|'.join(allowed)})"
                parameter["schema"]["pattern"] = f"^{term}(,{term})*$"
                parameter["schema"]["maxLength"] = _max_ordering_length(allowed)
                parameter["description"] = f"Order by {', '.join(allowed)}; comma-separated, `-` for descending."
        return parameters


def _max_ordering_length(allowed: list[str]) -> int:
    # Every field once, descending, comma-separated: the longest ordering that says something.
    return sum(len(name) + 2 for name in allowed) - 1


@extend_schema_field({"type": "string", "maxLength": SLUG_MAX_LENGTH})
class SlugFilter(django_filters.CharFilter):
    """A slug to filter by (at most 64 characters, like every slug)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX_LENGTH)
        super().__init__(*args, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": EXTERNAL_ID_MAX_LENGTH,
        "description": "Only the rows whose `external_id` (the id in your HR system) is exactly this one.",
    }
)
class ExternalIdFilter(django_filters.CharFilter):
    """``?external_id=``: the rows whose id in your HR system is exactly this one."""

    refuses_empty = True  # an empty id is refused, not taken as "no filter"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", EXTERNAL_ID_MAX_LENGTH)
        kwargs.setdefault("strip", False)  # exact: ids are stored trimmed, so " JP-1" names no row
        super().__init__(*args, **kwargs)


class ListingChoiceFormField(ChoiceField):
    """A filter's choice whose error names the valid values, worded as in a body (``ListingChoiceField``)."""

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            valid = [key for key, _ in self.choices if key != ""]
            raise ValidationError(invalid_choice_message(value, valid), code="invalid_choice") from None


class ListingChoiceFilter(django_filters.ChoiceFilter):
    field_class = ListingChoiceFormField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, compared in UTC (databases take only modest offsets, PostgreSQL ±15:59)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            # Before 0001-01-01 or after 9999-12-31 in UTC: every time is after or before it.
            return (datetime.min if value.year == 1 else datetime.max).replace(tzinfo=UTC)


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, as the schema says; anything else is an error, not "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError("Must be true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number from 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictFilterSet(django_filters.FilterSet):
    """A filter set whose typed filters (and ``refuses_empty`` ones) refuse an empty value: django-filter
    would skip the filter and answer the whole list."""

    def get_form_class(self):
        form_class = super().get_form_class()
        strict = [
            name
            for name, f in self.filters.items()
            if not isinstance(f, django_filters.CharFilter) or getattr(f, "refuses_empty", False)
        ]

        class StrictForm(form_class):
            def clean(self):
                cleaned = super().clean()
                for name in strict:
                    if self.data.get(self.add_prefix(name)) == "" and name not in self.errors:
                        self.add_error(name, ValidationError("May not be empty.", code="blank"))
                return cleaned

        return StrictForm


class CompanyFilter(StrictFilterSet):
    is_public = StrictBooleanFilter()
    size_band = ListingChoiceFilter(choices=SizeBand.choices)
    external_id = ExternalIdFilter()
    updated_since = UpdatedSinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Company
        fields = ["is_public", "size_band", "external_id", "updated_since"]


class CompanySlugFilter(SlugFilter):
    """A company slug, resolved for the caller as every company slug is (``tenancy.readable_company``)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        company = readable_company(caller_for(self.parent.request), value)
        return qs.filter(ladder__company=company) if company is not None else qs.none()


class LevelFilter(StrictFilterSet):
    company = CompanySlugFilter(help_text="Company slug.")
    framework = SlugFilter(field_name="ladder__framework__slug", help_text="Framework slug.")
    track = ListingChoiceFilter(choices=Track.choices)
    reference_level = SlugFilter(field_name="reference_level__slug", help_text="Reference level slug.")
    is_active = StrictBooleanFilter()
    external_id = ExternalIdFilter()
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only levels changed at or after this time (ISO 8601)."
    )

    class Meta:
        model = Level
        fields = ["company", "framework", "track", "reference_level", "is_active", "external_id", "updated_since"]


class AliasFilter(StrictFilterSet):
    level = IdFilter(field_name="level_id", help_text="Level id.")
    company = CompanySlugFilter(help_text="Company slug.")
    framework = SlugFilter(field_name="ladder__framework__slug", help_text="Framework slug.")
    external_id = ExternalIdFilter()
    updated_since = UpdatedSinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = TitleAlias
        fields = ["level", "company", "framework", "external_id", "updated_since"]

"""Query filters for list endpoints (django-filter)."""

from __future__ import annotations

import django_filters

from ladder.choices import SizeBand, Track
from ladder.models import Company, Level, TitleAlias


class CompanyFilter(django_filters.FilterSet):
    is_public = django_filters.BooleanFilter()
    size_band = django_filters.ChoiceFilter(choices=SizeBand.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Company
        fields = ["is_public", "size_band", "updated_since"]


class LevelFilter(django_filters.FilterSet):
    company = django_filters.CharFilter(field_name="ladder__company__slug", help_text="Company slug.")
    framework = django_filters.CharFilter(field_name="ladder__framework__slug", help_text="Framework slug.")
    track = django_filters.ChoiceFilter(choices=Track.choices)
    reference_level = django_filters.CharFilter(field_name="reference_level__slug", help_text="Reference level slug.")
    is_active = django_filters.BooleanFilter()
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only levels changed at or after this time (ISO 8601)."
    )

    class Meta:
        model = Level
        fields = ["company", "framework", "track", "reference_level", "is_active", "updated_since"]


class AliasFilter(django_filters.FilterSet):
    level = django_filters.NumberFilter(field_name="level_id")
    company = django_filters.CharFilter(field_name="ladder__company__slug", help_text="Company slug.")
    framework = django_filters.CharFilter(field_name="ladder__framework__slug", help_text="Framework slug.")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = TitleAlias
        fields = ["level", "company", "framework", "updated_since"]

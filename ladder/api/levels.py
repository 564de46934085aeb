"""Levels, one at a time (the ladder document writes them all at once)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from ladder import selectors, services
from ladder.api import filters
from ladder.api.base import ResourceViewSet
from ladder.api.history import history_action
from ladder.concurrency import level_etag
from ladder.exceptions import FieldErrors, NotFound
from ladder.level_fields import LEVEL_FIELDS
from ladder.models import ChangeRecord, Company, Framework, Level, TitleAlias
from ladder.serializer_fields import (
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictSlugField,
)
from ladder.tenancy import readable_company


class LevelAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = TitleAlias
        fields = ["id", "title", "valid_from", "valid_to", "external_id"]
        read_only_fields = fields


class LevelSerializer(StrictModelSerializer):
    """A level of a readable ladder. On create, ``company`` and ``framework`` name the ladder."""

    # A level stays in its ladder (moving it would break its history and identity): on update these
    # are checked like any field, and the level's own company and framework are kept.
    company = StrictSlugField(
        source="ladder.company.slug", help_text="Company slug: names the ladder on create, kept on update."
    )
    framework = StrictSlugField(
        source="ladder.framework.slug", help_text="Framework slug: names the ladder on create, kept on update."
    )
    reference_level = StrictSlugField(source="reference_level.slug", required=False, allow_null=True)
    code = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=32)
    external_id = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    rank = StrictIntegerField(required=False, min_value=0, max_value=100_000)
    scale_from = StrictFloatField(required=False, allow_null=True, min_value=0, max_value=100)
    scale_to = StrictFloatField(required=False, allow_null=True, min_value=0, max_value=100)
    aliases = LevelAliasSerializer(many=True, read_only=True)

    class Meta:
        model = Level
        fields = ["id", "company", "framework", *LEVEL_FIELDS, "version", "aliases", "created_at", "updated_at"]
        read_only_fields = ["id", "anchor", "version", "aliases", "created_at", "updated_at"]


@extend_schema_view(
    list=extend_schema(
        summary="List levels",
        description="Levels of every readable ladder. `updated_since` returns what changed since a time (HRIS sync).",
    ),
    retrieve=extend_schema(summary="Get a level", description="One level with its aliases and its ladder's version."),
    create=extend_schema(
        summary="Create a level",
        description="`company` and `framework` name the ladder (created when missing). Without "
        "`reference_level` the anchor is inferred from the title and rank.",
    ),
    update=extend_schema(
        summary="Replace a level", description="All writable fields; a level stays in its ladder. Bumps the version."
    ),
    partial_update=extend_schema(
        summary="Change a level",
        description="Only the given fields; giving `reference_level` makes the anchor explicit.",
    ),
    destroy=extend_schema(
        summary="Deactivate a level",
        description="Levels are never deleted, only deactivated: the level stays readable, with "
        "`is_active: false` and its history, so that a sync sees the change.",
    ),
)
@extend_schema(tags=["levels"])
class LevelViewSet(ResourceViewSet):
    serializer_class = LevelSerializer
    filterset_class = filters.LevelFilter
    ordering_fields = ["rank", "title", "updated_at", "id"]
    ordering = ["ladder_id", "rank", "id"]
    selector = staticmethod(selectors.levels_for)
    etag = staticmethod(level_etag)

    def company_of(self, obj: Level) -> Company:
        return obj.ladder.company

    def create_object(self, data):
        ladder_ref = data.pop("ladder")
        company = readable_company(self.caller, ladder_ref["company"]["slug"])
        if company is None:
            raise NotFound("not_found", "Not found.")
        self.require_write(company)
        framework = _framework(ladder_ref["framework"]["slug"])
        return services.level_create(company=company, framework=framework, changes=_level_changes(data, framework))

    def update_object(self, instance, data, if_match):
        data.pop("ladder", None)
        changes = _level_changes(data, instance.ladder.framework)
        return services.level_save(level=instance, changes=changes, if_match=if_match)

    def destroy_object(self, instance, if_match):
        services.level_deactivate(level=instance, if_match=if_match)

    history = history_action(
        "level", lambda level: (level.ladder.company, ChangeRecord.objects.filter(level_id=level.pk))
    )


def _framework(slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None:
        raise FieldErrors(
            [{"code": "unknown_framework", "message": f'Unknown framework "{slug}".', "field": "framework"}]
        )
    return framework


def _level_changes(data: dict, framework: Framework) -> dict:
    """The service's changes: ``reference_level`` as the framework's reference level (or None)."""
    if "reference_level" in data:
        ref = data.pop("reference_level")
        slug = ref["slug"] if ref else None
        found = None if slug is None else framework.reference_levels.filter(slug=slug).first()
        if slug is not None and found is None:
            message = f'Unknown reference level "{slug}" in framework "{framework.slug}".'
            raise FieldErrors([{"code": "unknown_reference_level", "message": message, "field": "reference_level"}])
        data["reference_level"] = found
    return data

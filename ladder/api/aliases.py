"""Aliases: other titles of a level, with the days they hold."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from ladder import selectors, services
from ladder.api import filters
from ladder.api.base import ResourceViewSet
from ladder.concurrency import alias_etag
from ladder.exceptions import FieldErrors
from ladder.models import Company, Level, TitleAlias
from ladder.serializer_fields import StrictCharField, StrictModelSerializer
from ladder.tenancy import readable_companies


class AliasSerializer(StrictModelSerializer):
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.none())
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    external_id = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=200)

    class Meta:
        model = TitleAlias
        fields = [
            "id",
            "level",
            "title",
            "valid_from",
            "valid_to",
            "external_id",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["level"].queryset = self.context.get("level_queryset", Level.objects.none())
        return fields


@extend_schema_view(
    list=extend_schema(summary="List aliases", description="Aliases of levels of every readable ladder."),
    retrieve=extend_schema(summary="Get an alias", description="One alias of a readable level."),
    create=extend_schema(summary="Create an alias", description="Another title for a level, with validity dates."),
    update=extend_schema(summary="Replace an alias", description="All fields; `valid_to` is exclusive."),
    partial_update=extend_schema(summary="Change an alias", description="Only the given fields."),
    destroy=extend_schema(summary="Delete an alias", description="Removes the alias; bumps the ladder version."),
)
@extend_schema(tags=["aliases"])
class AliasViewSet(ResourceViewSet):
    serializer_class = AliasSerializer
    filterset_class = filters.AliasFilter
    ordering_fields = ["title", "updated_at", "id"]
    ordering = ["id"]
    selector = staticmethod(selectors.aliases_for)
    etag = staticmethod(alias_etag)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["level_queryset"] = Level.objects.filter(
            ladder__company__in=readable_companies(self.caller), ladder__archived_at__isnull=True
        )
        return context

    def company_of(self, obj: TitleAlias) -> Company:
        return obj.level.ladder.company

    def create_object(self, data):
        self.require_write(data["level"].ladder.company)
        return services.alias_save(alias=TitleAlias(), changes=data)

    def update_object(self, instance, data, if_match):
        if "level" in data and data["level"].pk != instance.level_id:
            self.require_write(data["level"].ladder.company)
            if data["level"].ladder_id != instance.ladder_id:
                message = "An alias can only move to a level of the same ladder."
                raise FieldErrors([{"code": "other_ladder", "message": message, "field": "level"}])
        return services.alias_save(alias=instance, changes=data, if_match=if_match)

    def destroy_object(self, instance, if_match):
        services.alias_delete(alias=instance, if_match=if_match)

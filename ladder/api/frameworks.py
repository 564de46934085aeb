"""Frameworks: the shared reference ladders (platform operators write them; everyone reads)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from ladder import selectors, services
from ladder.api.base import ResourceViewSet
from ladder.http.permissions import FrameworkOperatorWritesOnly
from ladder.models import ExpectedProficiency, Framework, ReferenceLevel
from ladder.serializer_fields import StrictCharField, StrictModelSerializer, StrictSlugField


class ProficiencySerializer(serializers.ModelSerializer):
    competency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="competency.name", read_only=True)
    kind = serializers.CharField(source="competency.kind", read_only=True)

    class Meta:
        model = ExpectedProficiency
        fields = ["competency", "name", "kind", "proficiency"]
        read_only_fields = fields


class SlugListField(serializers.ListField):
    """Slugs of related reference levels: written as a list of slugs, read from the relation."""

    child = StrictSlugField()

    def to_representation(self, data):
        return [item.slug for item in data.all()]


class ReferenceLevelSerializer(StrictModelSerializer):
    focus_soft = serializers.IntegerField(read_only=True)
    promotes_to = SlugListField(required=False)
    responsibilities = serializers.ListField(child=StrictCharField(), required=False)
    common_aliases = serializers.ListField(child=StrictCharField(), required=False)
    competencies = ProficiencySerializer(source="proficiencies", many=True, read_only=True)

    class Meta:
        model = ReferenceLevel
        fields = [
            "id",
            "slug",
            "name",
            "track",
            "position",
            "focus_hands_on",
            "focus_soft",
            "summary",
            "responsibilities",
            "common_aliases",
            "reports_to",
            "promotes_to",
            "competencies",
        ]
        read_only_fields = ["id"]


class FrameworkSerializer(StrictModelSerializer):
    reference_levels = ReferenceLevelSerializer(many=True, required=False)

    class Meta:
        model = Framework
        fields = ["id", "slug", "name", "description", "reference_levels", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_reference_levels(self, value):
        if self.partial:
            raise serializers.ValidationError(
                "Reference levels are replaced as a whole: send them with PUT.", code="use_put"
            )
        slugs = [rl["slug"] for rl in value]
        duplicates = {s for s in slugs if slugs.count(s) > 1}
        if duplicates:
            raise serializers.ValidationError(f"Repeated slugs: {', '.join(sorted(duplicates))}.")
        known = set(slugs)
        for rl in value:
            for target in rl.get("promotes_to", []):
                if target not in known:
                    raise serializers.ValidationError(f'promotes_to names an unknown level "{target}".')
        return value


_OPERATORS = "Platform operators only (superusers, or users with `ladder.operate_frameworks`)."


@extend_schema_view(
    list=extend_schema(summary="List frameworks", description="Reference frameworks with their levels."),
    retrieve=extend_schema(summary="Get a framework", description="One framework with its reference levels."),
    create=extend_schema(summary="Create a framework", description=f"{_OPERATORS} Reference levels embedded."),
    update=extend_schema(summary="Replace a framework", description=f"{_OPERATORS} Levels are matched by slug."),
    partial_update=extend_schema(summary="Change a framework", description=f"{_OPERATORS} Only the given fields."),
    destroy=extend_schema(
        summary="Delete a framework", description=f"{_OPERATORS} Refused while a company ladder uses it."
    ),
)
@extend_schema(tags=["frameworks"])
class FrameworkViewSet(ResourceViewSet):
    serializer_class = FrameworkSerializer
    permission_classes = [FrameworkOperatorWritesOnly]
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "updated_at"]
    ordering = ["slug"]
    idempotent_create = False  # no ETag, no Idempotency-Key: operators' writes, not a sync's

    def get_queryset(self):
        return selectors.frameworks_with_levels()

    def create_object(self, data):
        levels = data.pop("reference_levels", [])
        return services.framework_save(framework=Framework(), values=data, reference_levels=levels)

    def update_object(self, instance, data, if_match):
        levels = data.pop("reference_levels", None)
        return services.framework_save(framework=instance, values=data, reference_levels=levels)

    def destroy_object(self, instance, if_match):
        services.framework_delete(framework=instance)

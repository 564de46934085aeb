"""Serializers: HTTP bodies in and out. Every field is listed; server-owned fields are read-only.

Two habits hold for every write body: a field the serializer does not know is an error (a typo must
not silently drop data), and a string field takes only a JSON string (``42`` is not a title).
"""

from __future__ import annotations

from django.db import models as dj_models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ladder.api.errors import invalid_choice_message
from ladder.choices import Track
from ladder.level_fields import DOCUMENT_LEVEL_FIELDS, LEVEL_FIELDS
from ladder.models import ChangeRecord, Company, ExpectedProficiency, Framework, Level, ReferenceLevel, TitleAlias
from ladder.services import AliasInput, LevelInput


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


# --- Frameworks -----------------------------------------------------------------------------------


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


# --- Companies ------------------------------------------------------------------------------------


class CompanyLadderSummarySerializer(serializers.Serializer):
    """A ladder of the company; its document is at ``/companies/{slug}/ladders/{framework}/``."""

    framework = serializers.SlugField(source="framework.slug")


class CompanySerializer(StrictModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    ladders = CompanyLadderSummarySerializer(many=True, read_only=True)
    external_id = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    is_archived = serializers.SerializerMethodField(
        help_text="True for a deleted (archived) company: listed by `updated_since` as a tombstone."
    )

    class Meta:
        model = Company
        fields = [
            "id",
            "slug",
            "name",
            "size_band",
            "is_public",
            "external_id",
            "organization",
            "ladders",
            "version",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "organization",
            "ladders",
            "version",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "organization", "ladders", "version", "created_at", "updated_at"]
        # Slug uniqueness is the model's (per organization, and among public companies), checked by the
        # service with the organization known; DRF's generated validators would report it for no field.
        validators = []

    def validate_external_id(self, value):
        return (value or "").strip() or None

    def get_is_archived(self, obj: Company) -> bool:
        return obj.archived_at is not None


# --- Ladder document ------------------------------------------------------------------------------


class AliasObjectSerializer(StrictSerializer):
    title = StrictCharField(max_length=200)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    external_id = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=200)


class AliasItemField(serializers.Field):
    """An alias is a plain title string or an object with validity dates (schema: ``ladder.api.schema``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"title": data}
        if not isinstance(data, dict):
            raise serializers.ValidationError("An alias is a string or an object with a title.", code="invalid")
        serializer = AliasObjectSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def to_representation(self, value):
        return value


class DocumentAliasOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = TitleAlias
        fields = ["title", "valid_from", "valid_to", "external_id"]
        read_only_fields = fields


class DocumentLevelSerializer(StrictSerializer):
    """A level inside the ladder document. ``id`` and ``anchor`` are read-only (ignored on PUT)."""

    id = serializers.IntegerField(read_only=True)
    title = StrictCharField(max_length=200)
    code = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=32)
    track = ListingChoiceField(choices=Track.choices, default=Track.IC)
    rank = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=100_000)
    reference_level = StrictSlugField(required=False, allow_null=True)
    anchor = serializers.CharField(read_only=True)
    scale_from = StrictFloatField(required=False, allow_null=True, min_value=0, max_value=100)
    scale_to = StrictFloatField(required=False, allow_null=True, min_value=0, max_value=100)
    external_id = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    is_active = StrictBooleanField(default=True)
    description = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)
    aliases = serializers.ListField(child=AliasItemField(), required=False, default=list, max_length=100)

    def validate_reference_level(self, value):
        if value is None:
            return None
        by_slug = self.context["reference_levels"]
        if value not in by_slug:
            raise serializers.ValidationError(
                f'Unknown reference level "{value}" in this framework.', code="unknown_reference_level"
            )
        return by_slug[value]


class LadderDocumentInputSerializer(StrictSerializer):
    """The body of ``PUT /companies/{slug}/ladders/{framework}/``."""

    company = serializers.CharField(read_only=True)
    framework = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    levels = DocumentLevelSerializer(many=True, max_length=1000, allow_empty=True)
    # Part of what GET answers, so a GET body can be sent back; never read.
    warnings = serializers.ListField(read_only=True)
    effective_from = serializers.DateField(
        required=False,
        allow_null=True,
        write_only=True,
        help_text="A future day: the document becomes a scheduled version that takes effect then. Default: now.",
    )

    def to_level_inputs(self) -> list[LevelInput]:
        out = []
        for lv in self.validated_data["levels"]:
            out.append(
                LevelInput(
                    title=lv["title"],
                    code=lv.get("code"),
                    track=lv.get("track", Track.IC),
                    rank=lv.get("rank"),
                    reference_level=lv.get("reference_level"),
                    scale_from=lv.get("scale_from"),
                    scale_to=lv.get("scale_to"),
                    description=lv.get("description", ""),
                    external_id=lv.get("external_id"),
                    is_active=lv.get("is_active", True),
                    aliases=[
                        AliasInput(
                            title=a["title"],
                            valid_from=a.get("valid_from"),
                            valid_to=a.get("valid_to"),
                            external_id=a.get("external_id"),
                        )
                        for a in lv.get("aliases", [])
                    ],
                )
            )
        return out


class DocumentLevelOutSerializer(serializers.ModelSerializer):
    reference_level = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scale_from = serializers.SerializerMethodField()
    scale_to = serializers.SerializerMethodField()
    aliases = DocumentAliasOutSerializer(many=True, read_only=True)

    class Meta:
        model = Level
        fields = [*DOCUMENT_LEVEL_FIELDS, "aliases"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_scale_from(self, obj: Level) -> float | None:
        interval = obj.interval
        return interval[0] if interval else None

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_scale_to(self, obj: Level) -> float | None:
        interval = obj.interval
        return interval[1] if interval else None


class LadderWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["tied_levels", "overlapping_spans", "inferred_anchor"],
        help_text="`tied_levels`: same track and interval; `overlapping_spans`: same track, intervals overlap in "
        "part; `inferred_anchor`: the reference level was guessed, answers involving it have lower confidence.",
    )
    detail = serializers.CharField()
    levels = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the levels concerned.")


# One level as the ladder document shows it: the example of every answer that lists levels (the
# document, a version of it).
DOCUMENT_LEVEL_EXAMPLE = {
    "id": 40,
    "title": "Senior Product Manager",
    "code": "L5",
    "track": "ic",
    "rank": 3,
    "reference_level": "senior-pm",
    "anchor": "explicit",
    "scale_from": 2.5,
    "scale_to": 3.5,
    "external_id": "JP-0042",
    "is_active": True,
    "description": "Owns a product area with large business value.",
    "aliases": [{"title": "Sr. PM", "valid_from": None, "valid_to": None, "external_id": None}],
}


class LadderDocumentSerializer(serializers.Serializer):
    """The whole ladder as one document (what GET returns and PUT takes).

    ``warnings`` lists ties, overlaps and inferred anchors. Translations place a level with an
    inferred anchor that shares its rung with another level of its track on its own part of the
    rung (see ``ladder.engine.anchors.settle_inferred_spans``); its ``inferred_anchor`` warning
    gives that span, while ``scale_from``/``scale_to`` keep showing what the document stores or
    the anchor implies, so that a GET body sent back changes nothing.
    """

    company = serializers.CharField(source="company.slug")
    framework = serializers.CharField(source="framework.slug")
    version = serializers.IntegerField()
    levels = DocumentLevelOutSerializer(many=True)
    warnings = LadderWarningSerializer(many=True, read_only=True, help_text="Read-only; ignored in a PUT body.")

    def to_representation(self, instance):
        from ladder.engine.anchors import ladder_warnings, settle_inferred_spans
        from ladder.translation.snapshots import level_snap

        data = super().to_representation(instance)
        snaps = [snap for level in instance.levels.all() if level.is_active and (snap := level_snap(level))]
        data["warnings"] = ladder_warnings(settle_inferred_spans(snaps))
        return data


# --- Flat levels and aliases ----------------------------------------------------------------------


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


class ChangeRecordSerializer(serializers.ModelSerializer):
    """One entry of the change history."""

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "changed_at",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "ladder_id",
            "level_id",
            "ladder_version",
            "actor",
            "request_id",
            "before",
            "after",
        ]
        read_only_fields = fields

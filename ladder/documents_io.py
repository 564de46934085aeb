"""The ladder document in and out: what the API's ladder endpoints, the admin's spreadsheet import
and export, the MCP tools and the fixtures read and write.

``LadderDocumentSerializer`` writes a ladder (with its levels and aliases) as the document, and
``document_data`` serves it from memory while nothing it shows has changed; ``read_document`` checks
a document against a framework and gives the service's level inputs.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ladder.cache import LocalCache
from ladder.choices import Track
from ladder.level_fields import DOCUMENT_LEVEL_FIELDS
from ladder.models import Framework, Ladder, Level, TitleAlias
from ladder.selectors import ladder_documents
from ladder.serializer_fields import (
    ListingChoiceField,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictSerializer,
    StrictSlugField,
)
from ladder.services import AliasInput, LevelInput


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


EFFECTIVE_FROM = "A future day: the document becomes a scheduled version that takes effect then. Default: now."


class LadderDocumentInputSerializer(StrictSerializer):
    """The body of ``PUT /companies/{slug}/ladders/{framework}/``."""

    company = serializers.CharField(read_only=True)
    framework = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    levels = DocumentLevelSerializer(many=True, max_length=1000, allow_empty=True)
    # Part of what GET answers, so a GET body can be sent back; never read.
    warnings = serializers.ListField(read_only=True)
    effective_from = serializers.DateField(required=False, allow_null=True, write_only=True, help_text=EFFECTIVE_FROM)

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


def _document_size(data) -> int:
    # As plain dicts and lists a document takes about 3.5 times its JSON (tracemalloc: 19 KB for the
    # 5.4 KB of 11 levels with 22 aliases).
    return 1024 + 4 * len(orjson.dumps(data))


kept_documents = LocalCache(settings.PMLADDER_DOCUMENT_CACHE_BYTES, size=_document_size)


def document_data(ladder: Ladder) -> dict:
    """The document of ``ladder``, a row read with its company and framework: written out once, then
    kept in this process's memory under everything it shows that its levels do not.

    The key holds the ladder's version (bumped by every change of a level or an alias, and when a
    rung it uses moves), the company's slug, and the framework's slug and ``updated_at`` (touched by
    every change of a rung), all read from the database by the caller of this request, so a kept
    document is never older than the row it was asked for. The result is shared: do not change it.
    """
    framework = ladder.framework
    key = (ladder.pk, ladder.version, ladder.company.slug, framework.pk, framework.slug, framework.updated_at)
    data = kept_documents.get(key)
    if data is None:
        full = get_object_or_404(ladder_documents(), pk=ladder.pk)  # archived meanwhile: 404
        # Plain data: DRF's ``ReturnDict`` would keep its serializer, and through it every model row.
        data = orjson.loads(orjson.dumps(LadderDocumentSerializer(full).data))
        if full.version == ladder.version:  # otherwise a write landed in between: serve it, keep nothing
            kept_documents.set(key, data)
    return data


def read_document(data, framework: Framework) -> LadderDocumentInputSerializer:
    """The document checked against ``framework``'s reference levels; DRF's ``ValidationError`` if invalid."""
    serializer = LadderDocumentInputSerializer(
        data=data, context={"reference_levels": {rl.slug: rl for rl in framework.reference_levels.all()}}
    )
    serializer.is_valid(raise_exception=True)
    return serializer

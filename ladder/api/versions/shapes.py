"""The shapes of the versions endpoints, for the schema (answers are built from plain data), and their
examples.
"""

from __future__ import annotations

from rest_framework import serializers

from ladder.documents_io import DOCUMENT_LEVEL_EXAMPLE, LadderDocumentInputSerializer
from ladder.models import LadderVersion


class VersionAliasSerializer(serializers.Serializer):
    title = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    external_id = serializers.CharField(allow_null=True)


class VersionLevelSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null for a level a scheduled version will create.")
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    track = serializers.CharField()
    rank = serializers.IntegerField()
    reference_level = serializers.CharField(allow_null=True)
    anchor = serializers.CharField()
    scale_from = serializers.FloatField(allow_null=True)
    scale_to = serializers.FloatField(allow_null=True)
    external_id = serializers.CharField(allow_null=True)
    is_active = serializers.BooleanField()
    description = serializers.CharField()
    aliases = VersionAliasSerializer(many=True)


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=LadderVersion.Status.choices)
    effective_from = serializers.DateField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    author = serializers.CharField(help_text="A user name or an API key's name.")
    request_id = serializers.CharField()
    ladder_version = serializers.IntegerField(allow_null=True, help_text="The ladder's version counter (ETag).")
    problems = serializers.JSONField(allow_null=True, help_text="Failed: why it could not be applied.")


# Fields shared by other shapes (a docstring here would become their description in the schema).
class OfLadderSerializer(serializers.Serializer):
    # The company and the framework that name the ladder an answer is about.
    company = serializers.CharField()
    framework = serializers.CharField()


class OfLevelSerializer(serializers.Serializer):
    # The level an alias in a diff belongs to.
    level_id = serializers.IntegerField(allow_null=True)
    level_title = serializers.CharField()
    level_code = serializers.CharField(allow_null=True)


class VersionListSerializer(OfLadderSerializer):
    results = VersionSummarySerializer(many=True)


class VersionDocumentSerializer(VersionSummarySerializer, OfLadderSerializer):
    levels = VersionLevelSerializer(many=True)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    # The values are of the field's own type (a string, a number, a boolean or null).
    from_ = serializers.JSONField(allow_null=True)
    to = serializers.JSONField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class LevelChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    changes = FieldChangeSerializer(many=True)


class LevelDiffSerializer(serializers.Serializer):
    added = VersionLevelSerializer(many=True)
    removed = VersionLevelSerializer(many=True)
    changed = LevelChangeSerializer(many=True)


class AliasRefSerializer(VersionAliasSerializer, OfLevelSerializer):
    pass


class AliasChangeSerializer(OfLevelSerializer):
    title = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class AliasDiffSerializer(serializers.Serializer):
    added = AliasRefSerializer(many=True)
    removed = AliasRefSerializer(many=True)
    changed = AliasChangeSerializer(many=True)


class DiffSerializer(OfLadderSerializer):
    from_ = VersionSummarySerializer()
    to = VersionSummarySerializer()
    levels = LevelDiffSerializer()
    aliases = AliasDiffSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class DiffBodySerializer(serializers.Serializer):
    levels = LevelDiffSerializer()
    aliases = AliasDiffSerializer()


class DryRunSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    changed = serializers.BooleanField(help_text="Whether the write would change anything.")
    created = serializers.BooleanField(help_text="Whether the write would create the ladder.")
    diff = DiffBodySerializer()


class ScheduledDocumentInputSerializer(LadderDocumentInputSerializer):
    """A scheduled version's replacement: a ladder document, optionally moved to another day."""


SUMMARY_EXAMPLE = {
    "number": 8,
    "status": "scheduled",
    "effective_from": "2027-01-01",
    "created_at": "2026-11-02T09:30:00Z",
    "applied_at": None,
    "author": "api-key:hris-sync",
    "request_id": "9f1c2a",
    "ladder_version": None,
    "problems": None,
}
VERSION_EXAMPLE = {
    "company": "globex",
    "framework": "product-management",
    **SUMMARY_EXAMPLE,
    "levels": [DOCUMENT_LEVEL_EXAMPLE],
}
DIFF_EXAMPLE = {
    "company": "globex",
    "framework": "product-management",
    "from": {**SUMMARY_EXAMPLE, "number": 7, "status": "applied", "effective_from": "2026-03-01"},
    "to": SUMMARY_EXAMPLE,
    "levels": {
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": 40,
                "title": "Senior Product Manager",
                "code": "L5",
                "changes": [{"field": "rank", "from": 3, "to": 4}],
            }
        ],
    },
    "aliases": {
        "added": [
            {
                "level_id": 40,
                "level_title": "Senior Product Manager",
                "level_code": "L5",
                "title": "Sr. PM",
                "valid_from": None,
                "valid_to": None,
                "external_id": None,
            }
        ],
        "removed": [],
        "changed": [],
    },
}


DRY_RUN_EXAMPLE = {
    "dry_run": True,
    "changed": True,
    "created": False,
    "diff": {"levels": DIFF_EXAMPLE["levels"], "aliases": DIFF_EXAMPLE["aliases"]},
}

"""``GET /api/v1/compare``: the data of the comparison chart, for platforms that draw their own."""

from __future__ import annotations

import re
from datetime import date

from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ladder.choices import Anchor, MatchBasis, Track
from ladder.compare import COMPANIES_PATTERN, MAX_COMPANIES, build_comparison, parse_companies
from ladder.serializer_fields import ListingChoiceField, StrictCharField, StrictSerializer
from ladder.tenancy import caller_for
from ladder.translation.api.query import query_of
from ladder.translation.api.schema import operation


def _whole_list(value: str) -> None:
    if not re.fullmatch(COMPANIES_PATTERN, value):
        raise serializers.ValidationError("Company slugs separated by commas.", code="invalid")


class CompareQuerySerializer(StrictSerializer):
    companies = StrictCharField(
        max_length=1000,
        trim_whitespace=False,  # the pattern decides what is accepted, exactly as the schema states it
        # The RegexValidator puts the pattern in the schema; the full match also refuses a final newline,
        # which Python's "$" would let through and the schema's (ECMA) "$" does not.
        validators=[RegexValidator(COMPANIES_PATTERN, message="Company slugs separated by commas."), _whole_list],
        help_text=f"Company slugs separated by commas, up to {MAX_COMPANIES}; the reference ladder comes first.",
    )
    framework = StrictCharField(
        max_length=64, required=False, help_text="Framework slug; optional when the companies share one."
    )
    as_of = serializers.DateField(required=False, help_text="Aliases valid on this day (default: today).")
    links = ListingChoiceField(
        choices=[("adjacent", "adjacent"), ("all", "all")],
        required=False,
        help_text="`adjacent` (default): links between neighbouring columns; `all`: between every two columns.",
    )


class ProvenanceSourceSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Where it was read (http or https; empty when not linkable).")
    read_on = serializers.CharField(required=False)
    claim = serializers.CharField(required=False, help_text="What the source says about this level.")


class DisagreementSerializer(serializers.Serializer):
    url = serializers.CharField()
    claim = serializers.CharField()


class ProvenanceSerializer(serializers.Serializer):
    sources = ProvenanceSourceSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    disagreements = DisagreementSerializer(many=True)


class CompanySourceSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField(required=False)
    read_on = serializers.CharField(required=False)


class CompareBoxSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="`<column key>:<level id>`; links name boxes by it.")
    level_id = serializers.IntegerField(allow_null=True, help_text="The level's id (null in the reference column).")
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    track = serializers.ChoiceField(choices=Track.choices)
    rank = serializers.IntegerField()
    scale_from = serializers.FloatField(help_text="Bottom of the box on the reference scale.")
    scale_to = serializers.FloatField(help_text="Top of the box on the reference scale.")
    reference_level = serializers.CharField(allow_null=True)
    anchor = serializers.ChoiceField(
        choices=[*Anchor.choices, ("reference", "Reference")], help_text="`reference` in the reference column."
    )
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Aliases valid on `as_of`.")
    description = serializers.CharField(allow_blank=True)
    provenance = ProvenanceSerializer(allow_null=True, help_text="Sources of a catalog level; null otherwise.")
    lane = serializers.IntegerField(help_text="Lane inside the column (tracks side by side), from 0.")


class CompareColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The company slug, or `reference`.")
    name = serializers.CharField()
    is_reference = serializers.BooleanField()
    is_public = serializers.BooleanField()
    ladder_version = serializers.IntegerField(allow_null=True)
    sources = CompanySourceSerializer(many=True)
    lanes = serializers.IntegerField()
    boxes = CompareBoxSerializer(many=True)


class CompareLinkSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Box id of the level translated.")
    target = serializers.CharField(help_text="Box id of a level it translates to.")
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(choices=MatchBasis.choices)
    best = serializers.BooleanField(help_text="The answer of /translate; false for an alternative.")


class CompareTrackSerializer(serializers.Serializer):
    track = serializers.ChoiceField(choices=Track.choices)
    label = serializers.CharField()
    colour = serializers.CharField()
    fill = serializers.CharField()


class CompareScaleSerializer(serializers.Serializer):
    """The range of the reference scale the chart covers (``from`` is a Python keyword, hence get_fields)."""

    def get_fields(self):
        return {
            "from": serializers.FloatField(help_text="Bottom of the chart on the reference scale."),
            "to": serializers.FloatField(help_text="Top of the chart on the reference scale."),
        }


COMPARE_EXAMPLE = {
    "framework": "product-management",
    "framework_name": "Product Management",
    "as_of": "2025-01-01",
    "scale": {"from": 0.5, "to": 7.5},
    "tracks": [{"track": "ic", "label": "Individual contributor", "colour": "#2f63a8", "fill": "#dce8f7"}],
    "columns": [
        {
            "key": "reference",
            "name": "Product Management (reference)",
            "is_reference": True,
            "is_public": True,
            "ladder_version": None,
            "sources": [],
            "lanes": 2,
            "boxes": [
                {
                    "id": "reference:3",
                    "level_id": None,
                    "title": "Senior Product Manager",
                    "code": None,
                    "track": "ic",
                    "rank": 3,
                    "scale_from": 2.5,
                    "scale_to": 3.5,
                    "reference_level": "senior-pm",
                    "anchor": "reference",
                    "aliases": ["Sr. PM"],
                    "description": "",
                    "provenance": None,
                    "lane": 0,
                }
            ],
        },
        {
            "key": "acme",
            "name": "Acme Analytics",
            "is_reference": False,
            "is_public": False,
            "ladder_version": 4,
            "sources": [],
            "lanes": 2,
            "boxes": [
                {
                    "id": "acme:12",
                    "level_id": 12,
                    "title": "Lead Product Manager",
                    "code": None,
                    "track": "ic",
                    "rank": 2,
                    "scale_from": 2.5,
                    "scale_to": 3.5,
                    "reference_level": "senior-pm",
                    "anchor": "explicit",
                    "aliases": ["Product Lead"],
                    "description": "The most experienced product manager.",
                    "provenance": None,
                    "lane": 0,
                }
            ],
        },
    ],
    "links": [
        {"source": "reference:3", "target": "acme:12", "confidence": 1.0, "basis": "overlap", "best": True},
        {"source": "acme:12", "target": "reference:3", "confidence": 1.0, "basis": "overlap", "best": True},
    ],
}


@extend_schema_serializer(
    examples=[OpenApiExample("Reference and one company", value=COMPARE_EXAMPLE, response_only=True)]
)
class CompareResponseSerializer(serializers.Serializer):
    framework = serializers.CharField()
    framework_name = serializers.CharField()
    as_of = serializers.DateField()
    scale = CompareScaleSerializer()
    tracks = CompareTrackSerializer(many=True)
    columns = CompareColumnSerializer(many=True)
    links = CompareLinkSerializer(many=True)


class CompareView(APIView):
    """Ladders side by side, as data: the JSON behind the ``/compare/`` chart."""

    @operation(
        "Compare ladders",
        tag="compare",
        query=CompareQuerySerializer,
        responses={200: CompareResponseSerializer},
    )
    def get(self, request):
        """The reference ladder and each named company as columns; each level a box from `scale_from` to `scale_to` on
        the common scale, with its lane (tracks side by side), anchor (`inferred` when pmladder chose it) and, for
        catalog companies, its provenance. `links` say what each level translates to in the neighbouring columns
        (`links=all`: in every other column), with the confidence `/translate` gives. A company you may not read answers
        404. The same data is drawn at `/compare/?companies=…` for people signed in to the admin."""
        query = CompareQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        data = query.validated_data
        comparison = build_comparison(
            caller=caller_for(request),
            slugs=parse_companies([data["companies"]]),
            framework=data.get("framework") or None,
            as_of=data.get("as_of") or date.today(),
            links=data.get("links") or "adjacent",
        )
        return Response(comparison.as_dict())

"""``/titles/understand``: what a title says, placed on the reference levels, with no company involved."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ladder import translation
from ladder.api.csv import UNDERSTANDING_COLUMNS, CSVParser, CSVRenderer, understanding_row
from ladder.api.errors import ApiError
from ladder.api.parsers import LenientTextJSONParser
from ladder.api.permissions import TenantAccess
from ladder.api.renderers import FastJSONRenderer
from ladder.api.serializers import StrictCharField, StrictSerializer
from ladder.api.translate import (
    ItemErrorSerializer,
    TitleItemField,
    UnderstandingSerializer,
    code_query_field,
    query_of,
)
from ladder.choices import ResolutionBasis

# --- Request shapes -------------------------------------------------------------------------------


class UnderstandRequestSerializer(StrictSerializer):
    framework = StrictCharField(
        max_length=64, required=False, allow_null=True, help_text="Framework slug; optional when there is one."
    )
    as_of = serializers.DateField(required=False, allow_null=True, help_text="Aliases valid on this day; today.")
    titles = serializers.ListField(
        child=TitleItemField(), max_length=translation.MAX_TITLES, allow_empty=True, help_text="Up to 10,000."
    )


class UnderstandQuerySerializer(StrictSerializer):
    title = StrictCharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=translation.MAX_TITLE_LENGTH,
        help_text="The job title to understand.",
    )
    code = code_query_field()
    framework = StrictCharField(max_length=64, required=False, help_text="Framework slug; optional when there is one.")
    as_of = serializers.DateField(required=False, help_text="Aliases valid on this day (default: today).")


class UnderstandCSVQuerySerializer(StrictSerializer):
    framework = StrictCharField(max_length=64, required=False, help_text="With a CSV body: framework slug.")
    as_of = serializers.DateField(required=False, help_text="With a CSV body: aliases valid on this day.")


# --- Answer shapes --------------------------------------------------------------------------------


class ReferenceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    track = serializers.CharField()
    position = serializers.IntegerField()


class UnderstoodAlternativeSerializer(serializers.Serializer):
    reference_level = ReferenceRefSerializer()
    confidence = serializers.FloatField()


class UnderstoodTitleSerializer(serializers.Serializer):
    input = TitleItemField()
    understanding = UnderstandingSerializer(allow_null=True, help_text="The parse; null only for a refused input.")
    reference_level = ReferenceRefSerializer(allow_null=True)
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(
        choices=ResolutionBasis.choices,
        allow_null=True,
        help_text="How the title was placed: a reference level's name or alias (`exact`, `alias`, `normalized`, "
        "`fuzzy`) or from what it says (`understood`).",
    )
    alternatives = UnderstoodAlternativeSerializer(many=True)
    error = ItemErrorSerializer(allow_null=True)


class UnderstandSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    placed = serializers.IntegerField()
    other_job_family = serializers.IntegerField()
    unresolved = serializers.IntegerField()


class UnderstandResponseSerializer(serializers.Serializer):
    framework = serializers.CharField()
    vocabulary_version = serializers.CharField()
    as_of = serializers.DateField()
    results = UnderstoodTitleSerializer(many=True)
    summary = UnderstandSummarySerializer()


UNDERSTAND_EXAMPLE = {
    "framework": "product-management",
    "titles": ["Senior Director of Product Management", "Produktmanager (m/w/d)", "Senior Project Manager"],
}

UNDERSTAND_ANSWER_EXAMPLE = {
    "framework": "product-management",
    "vocabulary_version": "2026.11.1",
    "as_of": "2026-01-15",
    "results": [
        {
            "input": "Staff Technical Product Manager, Payments (Remote)",
            "understanding": {
                "family": "product-management",
                "family_name": "Product management",
                "qualifiers": ["technical", "payments"],
                "seniority": ["staff"],
                "numbers": [],
                "codes": [],
                "track": "ic",
                "manages_product_managers": False,
                "span": [3.5, 4.5],
                "ignored": ["remote"],
                "unknown_words": [],
                "languages": [],
                "reading": "staff technical product manager",
                "certainty": 0.76,
            },
            "reference_level": {
                "slug": "principal-pm",
                "name": "Principal Product Manager",
                "track": "ic",
                "position": 4,
            },
            "confidence": 0.76,
            "basis": "understood",
            "alternatives": [
                {
                    "reference_level": {
                        "slug": "group-pm",
                        "name": "Group Product Manager",
                        "track": "management",
                        "position": 4,
                    },
                    "confidence": 0.38,
                }
            ],
            "error": None,
        },
        {
            "input": "Senior Project Manager",
            "understanding": {
                "family": "project-management",
                "family_name": "Project management",
                "qualifiers": [],
                "seniority": ["senior"],
                "numbers": [],
                "codes": [],
                "track": None,
                "manages_product_managers": False,
                "span": None,
                "ignored": [],
                "unknown_words": [],
                "languages": [],
                "reading": "senior project manager",
                "certainty": 0.8,
            },
            "reference_level": None,
            "confidence": 0.0,
            "basis": None,
            "alternatives": [],
            "error": {
                "code": "other_job_family",
                "detail": "'Senior Project Manager' reads as a Project management title, not a product-management one.",
                "suggestions": [],
                "candidates": [],
                "family": "project-management",
            },
        },
    ],
    "summary": {"total": 2, "placed": 1, "other_job_family": 1, "unresolved": 0},
}


# --- View -----------------------------------------------------------------------------------------


class UnderstandTitlesView(APIView):
    """Understand job titles: job family, seniority, track, and the reference level(s) they sit on."""

    permission_classes = [TenantAccess]
    parser_classes = [LenientTextJSONParser, CSVParser]
    renderer_classes = [FastJSONRenderer, CSVRenderer, BrowsableAPIRenderer]
    bulk_translation = True  # POST counts against the bulk rate limit
    post_reads_only = True  # POST carries titles but changes nothing: read keys may use it

    def handle_exception(self, exc):
        self._answer_in_json()  # errors are always JSON in the one shape
        return super().handle_exception(exc)

    def options(self, request, *args, **kwargs):
        self._answer_in_json()
        return super().options(request, *args, **kwargs)

    def _answer_in_json(self) -> None:
        self.request.accepted_renderer = FastJSONRenderer()
        self.request.accepted_media_type = "application/json"

    @extend_schema(
        tags=["translate"],
        summary="Understand one title",
        description=(
            "Parses `title` (job family, function qualifiers, seniority, level numbers and codes, track, the "
            "parts ignored) and places it on the framework's reference levels. A reference level's own name or "
            "alias answers with confidence 1.0; any other product-management title is placed from what it says "
            "(basis `understood`, confidence below a ladder hit). A title of another job family is the item "
            "error `other_job_family` naming the family. `Accept: text/csv` or `?format=csv` answers CSV."
        ),
        parameters=[UnderstandQuerySerializer],
        responses={(200, "application/json"): UnderstandResponseSerializer, (200, "text/csv"): OpenApiTypes.STR},
        examples=[OpenApiExample("Two titles", value=UNDERSTAND_ANSWER_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        query = UnderstandQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        data = query.validated_data
        item: Any = data["title"] if not data.get("code") else {"title": data["title"], "code": data["code"]}
        return self._answer(data.get("framework"), data.get("as_of") or date.today(), [item])

    @extend_schema(
        tags=["translate"],
        summary="Understand many titles",
        description=(
            "Up to 10,000 titles per request, answered in input order (repeated titles are computed once). An "
            "item is a string or `{title, code}`. With `Content-Type: text/csv` the body is a CSV with a `title` "
            "column; `framework` and `as_of` then go in the query string, and every other column comes back "
            "untouched with the understanding columns appended (`Accept: text/csv` or `?format=csv`)."
        ),
        parameters=[UnderstandCSVQuerySerializer],
        request={
            "application/json": UnderstandRequestSerializer,
            "text/csv": {"type": "string", "minLength": 1, "description": "A header row naming a `title` column."},
        },
        responses={(200, "application/json"): UnderstandResponseSerializer, (200, "text/csv"): OpenApiTypes.STR},
        examples=[
            OpenApiExample("Three titles", value=UNDERSTAND_EXAMPLE, request_only=True),
            OpenApiExample("Answer", value=UNDERSTAND_ANSWER_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request):
        query = UnderstandCSVQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        if (request.content_type or "").startswith("text/csv"):
            return self._post_csv(request, query.validated_data)
        body = UnderstandRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._answer(data.get("framework"), data.get("as_of") or date.today(), data["titles"])

    def _post_csv(self, request, params: dict[str, Any]):
        table = request.data
        if not isinstance(table, dict) or "columns" not in table:  # DRF does not parse an empty body
            raise exceptions.ParseError("The CSV is empty: a header row with a 'title' column is needed.")
        if "title" not in table["columns"]:
            raise ApiError(
                status_code=400, code="missing_column", message="The CSV needs a 'title' column.", field="title"
            )
        if len(table["rows"]) > translation.MAX_TITLES:
            raise ApiError(
                status_code=400,
                code="too_many_titles",
                message=f"At most {translation.MAX_TITLES} titles per request.",
                field="titles",
            )
        has_code = "code" in table["columns"]
        items = [
            {"title": row["title"], "code": row["code"]} if has_code and row.get("code") else row["title"]
            for row in table["rows"]
        ]
        return self._answer(params.get("framework"), params.get("as_of") or date.today(), items, passthrough=table)

    def _answer(self, framework: str | None, as_of: date, items: list[Any], passthrough: dict | None = None):
        try:
            body = translation.answer_understanding(framework=framework or None, items=items, as_of=as_of)
        except translation.TranslationError as err:
            raise ApiError(status_code=err.status, code=err.code, message=err.message, field=err.field) from err
        if getattr(self.request.accepted_renderer, "format", None) == "csv":
            if passthrough is not None:
                columns = passthrough["columns"]
                rows = [[row.get(c, "") for c in columns] for row in passthrough["rows"]]
            else:
                columns = ["title", "code"]
                rows = [[it["title"], it.get("code") or ""] if isinstance(it, dict) else [it, ""] for it in items]
            return Response(
                {
                    "columns": [*columns, *UNDERSTANDING_COLUMNS],
                    "rows": [row + understanding_row(r) for row, r in zip(rows, body["results"], strict=True)],
                }
            )
        return Response(body)

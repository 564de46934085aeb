"""``/translate`` and ``/career-path``: HTTP in and out around ``ladder.translation``."""

from __future__ import annotations

import copy
import functools
from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ladder import translation
from ladder.api.csv import TRANSLATION_COLUMNS, CSVParser, CSVRenderer, translation_row
from ladder.api.errors import ApiError
from ladder.api.parsers import LenientTextJSONParser
from ladder.api.permissions import TenantAccess
from ladder.api.renderers import FastJSONRenderer
from ladder.api.serializers import StrictCharField, StrictSerializer
from ladder.choices import MatchBasis, ResolutionBasis
from ladder.tenancy import caller_for

# --- Request shapes -------------------------------------------------------------------------------

CODE_MAX_LENGTH = 32  # as long as a level's code may be


def code_query_field() -> StrictCharField:
    """``?code=``: the level code given beside a title."""
    return StrictCharField(
        required=False,
        allow_blank=True,
        max_length=CODE_MAX_LENGTH,
        help_text="The level code, when the title alone is ambiguous.",
    )


class TitleObjectSerializer(StrictSerializer):
    """A title with its level code given beside it."""

    title = StrictCharField(allow_blank=True, trim_whitespace=False)
    code = StrictCharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)


class TitleItemField(serializers.Field):
    """A title to translate: a string, or ``{"title": ..., "code": ...}`` (schema: ``ladder.api.schema``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data
        if isinstance(data, dict):
            item = TitleObjectSerializer(data=data)
            item.is_valid(raise_exception=True)
            return {"title": item.validated_data["title"], "code": item.validated_data.get("code") or None}
        raise serializers.ValidationError("A title is a string or an object with a title.", code="invalid")

    def to_representation(self, value):
        return value


@extend_schema_serializer(component_name="Translate")  # the generated client's ``TranslateRequest``
class TranslateRequestSerializer(StrictSerializer):
    """Titles to translate from one company's ladder into another's (or to or from `reference`)."""

    source = StrictCharField(max_length=64, help_text="Company slug, or `reference` for the framework itself.")
    target = StrictCharField(max_length=64, help_text="Company slug, or `reference`.")
    framework = StrictCharField(
        max_length=64, required=False, allow_null=True, help_text="May be omitted when the companies share one."
    )
    as_of = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The ladder versions and aliases in effect on this day; default: now.",
    )
    titles = serializers.ListField(
        child=TitleItemField(), max_length=translation.MAX_TITLES, allow_empty=True, help_text="Up to 10,000."
    )


class FlatQuerySerializer(StrictSerializer):
    """A query of plain fields, validated on every single translation: each request gets shallow copies
    of the declared fields, where DRF deep-copies them and so re-runs every field's ``__init__`` (the
    largest cost left in a warm translation). Safe because no field here holds fields of its own."""

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class TranslateQuerySerializer(FlatQuerySerializer):
    """The query of ``GET /translate`` (``format`` is DRF's, for content negotiation)."""

    source = StrictCharField(max_length=64, help_text="Company slug or `reference`.")
    target = StrictCharField(max_length=64, help_text="Company slug or `reference`.")
    title = StrictCharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=translation.MAX_TITLE_LENGTH,
        help_text="The job title to translate.",
    )
    code = code_query_field()
    framework = StrictCharField(
        max_length=64, required=False, help_text="Framework slug; optional when the companies share one."
    )
    as_of = serializers.DateField(
        required=False, help_text="The ladder versions and aliases in effect on this day (default: now)."
    )
    excel = serializers.ChoiceField(
        choices=["1", "true"], required=False, help_text="CSV answers start with a UTF-8 BOM, for Excel."
    )


class CSVQuerySerializer(StrictSerializer):
    """The query of ``POST /translate`` with a CSV body; a JSON body carries these itself."""

    source = StrictCharField(max_length=64, required=False, help_text="With a CSV body: company slug or `reference`.")
    target = StrictCharField(max_length=64, required=False, help_text="With a CSV body: company slug or `reference`.")
    framework = StrictCharField(
        max_length=64, required=False, help_text="With a CSV body: framework slug, when the companies share several."
    )
    as_of = serializers.DateField(
        required=False, help_text="With a CSV body: the ladder versions and aliases in effect on this day."
    )
    title_column = StrictCharField(
        max_length=200,
        required=False,
        help_text='With a CSV body: the column holding titles (default: "title" or "job title", any case).',
    )
    code_column = StrictCharField(
        max_length=200,
        required=False,
        help_text='With a CSV body: the column holding level codes (default: "code" or "level code", any case).',
    )
    excel = serializers.ChoiceField(
        choices=["1", "true"], required=False, help_text="CSV answers start with a UTF-8 BOM, for Excel."
    )


class CareerQuerySerializer(FlatQuerySerializer):
    company = StrictCharField(max_length=64, help_text="Company slug.")
    title = StrictCharField(trim_whitespace=False, max_length=translation.MAX_TITLE_LENGTH, help_text="The job title.")
    code = code_query_field()
    framework = StrictCharField(
        max_length=64, required=False, help_text="Framework slug; optional when the company has one."
    )
    as_of = serializers.DateField(
        required=False, help_text="The ladder versions and aliases in effect on this day (default: now)."
    )


def query_of(request) -> dict[str, str]:
    """The query parameters for a query serializer: ``format`` belongs to content negotiation."""
    query = request.query_params.dict()
    query.pop("format", None)
    return query


# (query serializer, parameter, raw value) -> the value its field validated it to, in this process.
_valid_values: dict[tuple[type, str, str], Any] = {}
_VALID_VALUES_LIMIT = 50_000
_MISSING = object()


def valid_query(serializer_class: type[FlatQuerySerializer], request) -> dict[str, Any]:
    """The validated query, with each parameter's value validated once per process.

    The serializer's fields are independent (no rule spans two of them), so a query whose every
    parameter already passed its field, with every required one present, is valid as it stands: the
    same company slugs and titles recur across millions of single translations. Anything else goes
    through the serializer, which decides and words every error.
    """
    query = query_of(request)
    values: dict[str, Any] = {}
    for name, raw in query.items():
        value = _valid_values.get((serializer_class, name, raw), _MISSING)
        if value is _MISSING:
            break
        values[name] = value
    else:
        if _required_names(serializer_class) <= values.keys():
            return values
    serializer = serializer_class(data=query)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if len(_valid_values) >= _VALID_VALUES_LIMIT:
        _valid_values.clear()
    for name, raw in query.items():
        if name in data:
            _valid_values[(serializer_class, name, raw)] = data[name]
    return data


@functools.cache
def _required_names(serializer_class: type[FlatQuerySerializer]) -> frozenset[str]:
    return frozenset(name for name, field in serializer_class._declared_fields.items() if field.required)


# --- Answer shapes (for the schema; answers are built by the engine's ``to_dict``) -------------------


class LevelRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    track = serializers.CharField()


class AliasWindowSerializer(serializers.Serializer):
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True, help_text="Exclusive: the first day the alias no longer held.")


class ResolutionSerializer(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=ResolutionBasis.choices,
        help_text="A ladder hit (`exact`, `alias`, `normalized`, `fuzzy`, `code`); `expired_alias` for a title "
        "found only as an alias whose window ended; `understood` for a title placed from what it says (the "
        "source level is then the one it sits beside).",
    )
    score = serializers.FloatField()
    alias = serializers.CharField(required=False, help_text="With `expired_alias`: the alias that matched.")
    window = AliasWindowSerializer(required=False, help_text="With `expired_alias`: when the alias was valid.")


class UnderstandingSerializer(serializers.Serializer):
    """What the title parser read in a title (see docs/translation.md, "Title understanding")."""

    family = serializers.CharField(allow_null=True, help_text="Job family slug, or null when the title names none.")
    family_name = serializers.CharField(allow_null=True)
    qualifiers = serializers.ListField(child=serializers.CharField(), help_text="Function: technical, growth, ...")
    seniority = serializers.ListField(child=serializers.CharField(), help_text="Seniority modifiers, in order.")
    numbers = serializers.ListField(child=serializers.IntegerField(), help_text="Level numbers (II -> 2).")
    codes = serializers.ListField(child=serializers.CharField(), help_text="Level codes written in the title.")
    track = serializers.CharField(allow_null=True, help_text="`ic`, `management` or `executive` when placed.")
    manages_product_managers = serializers.BooleanField()
    span = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="`[from, to)` on the reference scale, when placed."
    )
    ignored = serializers.ListField(child=serializers.CharField(), help_text="Noise, team, product, location.")
    unknown_words = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField(), help_text="Languages read: de, fr, es, pt, nl.")
    reading = serializers.CharField(help_text="The words the parser worked on, in English.")
    certainty = serializers.FloatField(help_text="How sure the parse is, 0..1.")


class AlternativeSerializer(serializers.Serializer):
    level = LevelRefSerializer()
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(choices=MatchBasis.choices)


class ItemErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="`unresolved_title`, `other_job_family`, `ambiguous_title`, `unknown_code`, `code_title_mismatch`, "
        "`empty_title`, `title_too_long` or `empty_target`."
    )
    detail = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField())
    candidates = LevelRefSerializer(many=True)
    family = serializers.CharField(required=False, help_text="With `other_job_family`: the family detected.")


class TranslationResultSerializer(serializers.Serializer):
    input = TitleItemField()
    source_level = LevelRefSerializer(allow_null=True)
    resolution = ResolutionSerializer(allow_null=True)
    target_level = LevelRefSerializer(allow_null=True)
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(choices=MatchBasis.choices, allow_null=True)
    alternatives = AlternativeSerializer(many=True)
    error = ItemErrorSerializer(allow_null=True)
    understanding = UnderstandingSerializer(
        allow_null=True,
        help_text="What the title says, when the source ladder did not hold it (basis `understood`, "
        "`other_job_family`, `unresolved_title`); null for a ladder hit.",
    )
    inferred_anchor = serializers.BooleanField(
        help_text="True when the source or target level's reference level was inferred, not stated; the "
        "confidence is then lower and `notes` says which."
    )
    notes = serializers.ListField(child=serializers.CharField())


class SummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    translated = serializers.IntegerField()
    unresolved = serializers.IntegerField()


class TranslateResponseSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    framework = serializers.CharField()
    as_of = serializers.DateField()
    results = TranslationResultSerializer(many=True)
    summary = SummarySerializer()


class FocusSerializer(serializers.Serializer):
    hands_on = serializers.IntegerField()
    soft = serializers.IntegerField()


class CareerStepSerializer(serializers.Serializer):
    level = LevelRefSerializer(allow_null=True)
    reason = serializers.CharField(help_text='Why this step: "next rung on this track", "manages PMs", ...')
    reference_level = serializers.CharField(allow_null=True)
    reference_name = serializers.CharField(allow_null=True)
    track = serializers.CharField()
    responsibilities_gained = serializers.ListField(child=serializers.CharField())
    focus_before = FocusSerializer(allow_null=True)
    focus_after = FocusSerializer(allow_null=True)


class CareerPathResponseSerializer(serializers.Serializer):
    company = serializers.CharField()
    framework = serializers.CharField()
    level = LevelRefSerializer()
    reference_level = serializers.CharField(allow_null=True)
    next_levels = CareerStepSerializer(many=True)
    branches = CareerStepSerializer(many=True)


TRANSLATE_EXAMPLE = {
    "source": "acme",
    "target": "globex",
    "framework": "product-management",
    "as_of": "2025-01-01",
    "titles": ["Head of Product", "Chief Vibes Officer", {"title": "Product Manager", "code": None}],
}


# --- Views ----------------------------------------------------------------------------------------


class _TranslationBase(APIView):
    permission_classes = [TenantAccess]
    renderer_classes = [FastJSONRenderer, CSVRenderer, BrowsableAPIRenderer]

    def handle_exception(self, exc):
        # Errors are always JSON in the one shape, even when CSV was asked for.
        self._answer_in_json()
        return super().handle_exception(exc)

    def options(self, request, *args, **kwargs):
        # So is the description of the endpoint (only translations have a CSV form).
        self._answer_in_json()
        return super().options(request, *args, **kwargs)

    def _answer_in_json(self) -> None:
        self.request.accepted_renderer = FastJSONRenderer()
        self.request.accepted_media_type = "application/json"

    def _context(
        self, source: str, target: str, framework: str | None, on: date | None = None
    ) -> translation.TranslationContext:
        try:
            return translation.load_context(
                caller=caller_for(self.request),
                source=source,
                target=target,
                framework=framework or None,
                on=on,
            )
        except translation.TranslationError as err:
            raise ApiError(status_code=err.status, code=err.code, message=err.message, field=err.field) from err

    def _answer(self, context, as_of: date, items: list[Any], passthrough: dict[str, Any] | None = None):
        body = translation.answer_translation(context=context, items=items, as_of=as_of)
        if getattr(self.request.accepted_renderer, "format", None) == "csv":
            return Response(self._csv(items, body["results"], passthrough))
        return Response(body)

    @staticmethod
    def _csv(items: list[Any], results: list[dict], passthrough: dict[str, Any] | None) -> dict[str, Any]:
        if passthrough is not None:
            columns = passthrough["columns"]
            rows = [[row.get(c, "") for c in columns] for row in passthrough["rows"]]
        else:
            columns = ["title", "code"]
            rows = [[it["title"], it.get("code") or ""] if isinstance(it, dict) else [it, ""] for it in items]
        return {
            "columns": [*columns, *TRANSLATION_COLUMNS],
            "rows": [row + translation_row(result) for row, result in zip(rows, results, strict=True)],
        }


class TranslateView(_TranslationBase):
    """Translate job titles from one company's ladder into another's, through the reference scale."""

    parser_classes = [LenientTextJSONParser, CSVParser]
    bulk_translation = True  # POST counts against the bulk-translation rate limit
    post_reads_only = True  # POST carries a batch of titles but changes nothing: read keys may use it

    @extend_schema(
        tags=["translate"],
        summary="Translate one title",
        description=(
            "Resolves `title` (and `code`, when given) in the source ladder, places it on the reference scale "
            "and answers the best target level with alternatives, a confidence in 0..1 and the basis. An "
            "unresolved title is an item error with suggestions, not a failed request. `source`/`target` are "
            "company slugs or `reference`. `Accept: text/csv` or `?format=csv` answers CSV."
        ),
        parameters=[TranslateQuerySerializer],
        responses={(200, "application/json"): TranslateResponseSerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        data = valid_query(TranslateQuerySerializer, request)
        context = self._context(data["source"], data["target"], data.get("framework"), data.get("as_of"))
        item: Any = data["title"] if not data.get("code") else {"title": data["title"], "code": data["code"]}
        return self._answer(context, data.get("as_of") or date.today(), [item])

    @extend_schema(
        tags=["translate"],
        summary="Translate many titles",
        description=(
            "Up to 10,000 titles per request, answered in input order (repeated titles are computed once). "
            "An item is a string or `{title, code}`. With `Content-Type: text/csv` the body is a CSV with a "
            "`title` column (and optionally `code`); `source`, `target`, `framework` and `as_of` then go in the "
            "query string, and every other column comes back untouched with the translation columns appended "
            "(`Accept: text/csv` or `?format=csv`)."
        ),
        parameters=[CSVQuerySerializer],
        request={
            "application/json": TranslateRequestSerializer,
            "text/csv": {"type": "string", "minLength": 1, "description": "A header row naming a `title` column."},
        },
        responses={(200, "application/json"): TranslateResponseSerializer, (200, "text/csv"): OpenApiTypes.STR},
        examples=[OpenApiExample("Three titles", value=TRANSLATE_EXAMPLE, request_only=True)],
    )
    def post(self, request):
        # The query is checked whatever the body; only a CSV body takes its values from it.
        query = CSVQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        if (request.content_type or "").startswith("text/csv"):
            return self._post_csv(request, query.validated_data)
        body = TranslateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        context = self._context(data["source"], data["target"], data.get("framework"), data.get("as_of"))
        return self._answer(context, data.get("as_of") or date.today(), data["titles"])

    def _post_csv(self, request, params: dict[str, Any]):
        table = request.data
        if not isinstance(table, dict) or "columns" not in table:  # DRF does not parse an empty body
            raise exceptions.ParseError("The CSV is empty: a header row with a 'title' column is needed.")
        missing = [name for name in ("source", "target") if name not in params]
        if missing:
            raise ApiError(
                status_code=400,
                code="csv_query_required",
                message="With a CSV body, `source` and `target` go in the query string.",
                field=missing[0],
            )
        title_column = _find_column(table["columns"], params.get("title_column"), TITLE_COLUMNS, "title_column")
        code_column = _find_column(table["columns"], params.get("code_column"), CODE_COLUMNS, "code_column")
        if len(table["rows"]) > translation.MAX_TITLES:
            raise ApiError(
                status_code=400,
                code="too_many_titles",
                message=f"At most {translation.MAX_TITLES} titles per request.",
                field="titles",
            )
        items = [
            {"title": row[title_column], "code": row[code_column]}
            if code_column and row.get(code_column)
            else row[title_column]
            for row in table["rows"]
        ]
        context = self._context(params["source"], params["target"], params.get("framework"), params.get("as_of"))
        return self._answer(context, params.get("as_of") or date.today(), items, passthrough=table)


TITLE_COLUMNS = ("title", "job title", "job_title", "jobtitle")
CODE_COLUMNS = ("code", "level code", "level_code")


def _find_column(columns: list[str], named: str | None, defaults: tuple[str, ...], param: str) -> str | None:
    """The CSV column for titles (required) or codes: named by the query, else a usual name, any case."""
    by_name = {c.strip().casefold(): c for c in columns}
    if named is not None:
        found = by_name.get(named.strip().casefold())
        if found is None:
            raise ApiError(
                status_code=400,
                code="missing_column",
                message=f'The CSV has no column "{named}"; the columns found are: {", ".join(columns) or "none"}.',
                field=param,
            )
        return found
    found = next((by_name[name] for name in defaults if name in by_name), None)
    if found is None and param == "title_column":
        raise ApiError(
            status_code=400,
            code="missing_column",
            message='The CSV needs a title column ("title" or "job title", or name it with ?title_column=); the '
            f"columns found are: {', '.join(columns) or 'none'}.",
            field="title",
        )
    return found


class CareerPathView(APIView):
    """Where a title leads: the next level on its track, branch options, and what changes on the way."""

    permission_classes = [TenantAccess]

    @extend_schema(
        tags=["translate"],
        summary="Career path from a title",
        description=(
            "Resolves the title in the company's ladder, then gives the next level on its track (several only "
            "when they share a rank) and the branch options of the reference framework in reference order "
            "(Senior PM → Principal PM, Group PM, Director), each level once and each step with a short `reason`, "
            "the reference responsibilities gained and the shift from hands-on to soft-skill focus."
        ),
        parameters=[CareerQuerySerializer],
        responses={200: CareerPathResponseSerializer},
    )
    def get(self, request):
        data = valid_query(CareerQuerySerializer, request)
        try:
            body = translation.answer_career_path(
                caller=caller_for(request),
                company=data["company"],
                title=data["title"],
                code=data.get("code") or None,
                framework=data.get("framework") or None,
                as_of=data.get("as_of") or date.today(),
                on=data.get("as_of"),
            )
        except translation.TranslationError as err:
            raise ApiError(status_code=err.status, code=err.code, message=err.message, field=err.field) from err
        return Response(body)

"""``/translate``, ``/career-path`` and ``/titles/understand``: HTTP in and out around ``ladder.translation``."""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from ladder.exceptions import ValidationFailed
from ladder.http.parsers import LenientTextJSONParser
from ladder.http.permissions import TenantAccess
from ladder.http.renderers import FastJSONRenderer
from ladder.tenancy import caller_for
from ladder.translation.api import answers, csv
from ladder.translation.api.examples import (
    TRANSLATE_REQUEST,
    UNDERSTAND_MANY_ANSWER,
    UNDERSTAND_ONE_ANSWER,
    UNDERSTAND_REQUEST,
)
from ladder.translation.api.query import query_of, valid_query
from ladder.translation.api.schema import json_or_csv, operation
from ladder.translation.api.serializers import (
    CareerPathResponseSerializer,
    CareerQuerySerializer,
    CSVQuerySerializer,
    TranslateQuerySerializer,
    TranslateRequestSerializer,
    TranslateResponseSerializer,
    UnderstandCSVQuerySerializer,
    UnderstandQuerySerializer,
    UnderstandRequestSerializer,
    UnderstandResponseSerializer,
)
from ladder.translation.service import check_batch_size


def _single(data: dict[str, Any]) -> Any:
    """The one item of a GET: the title, or ``{title, code}`` when a code was given."""
    return data["title"] if not data.get("code") else {"title": data["title"], "code": data["code"]}


class _TitlesView(APIView):
    """A batch of titles in (JSON or CSV) and answers out (JSON or CSV); errors always in JSON."""

    permission_classes = [TenantAccess]
    parser_classes = [LenientTextJSONParser, csv.CSVParser]
    renderer_classes = [FastJSONRenderer, csv.CSVRenderer, BrowsableAPIRenderer]
    bulk_translation = True  # POST counts against the bulk-translation rate limit
    post_reads_only = True  # POST carries a batch of titles but changes nothing: read keys may use it
    # What each endpoint supplies: the columns a CSV answer appends, how one result fills them, the
    # batch of a CSV body, and the answer body (``data``: the validated request).
    csv_columns: list[str] = []

    @staticmethod
    def csv_row(result: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def csv_items(self, table: dict[str, Any], params: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    def answer(self, data: dict[str, Any], items: list[Any]) -> dict[str, Any]:
        raise NotImplementedError

    def handle_exception(self, exc):
        # Errors are always JSON in the one shape, even when CSV was asked for.
        self._answer_in_json()
        return super().handle_exception(exc)

    def options(self, request, *args, **kwargs):
        # So is the description of the endpoint (only answers have a CSV form).
        self._answer_in_json()
        return super().options(request, *args, **kwargs)

    def _answer_in_json(self) -> None:
        self.request.accepted_renderer = FastJSONRenderer()
        self.request.accepted_media_type = "application/json"

    def _respond(self, data: dict[str, Any], items: list[Any], passthrough: dict[str, Any] | None = None) -> Response:
        body = self.answer(data, items)
        if getattr(self.request.accepted_renderer, "format", None) == "csv":
            return Response(csv.answer_table(items, body["results"], passthrough, self.csv_columns, self.csv_row))
        return Response(body)

    def _post(self, request, query_serializer: type[Serializer], body_serializer: type[Serializer]) -> Response:
        # The query is checked whatever the body; only a CSV body takes its values from it.
        query = query_serializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        if (request.content_type or "").startswith("text/csv"):
            table = csv.table_of(request.data)
            params = query.validated_data
            items = self.csv_items(table, params)
            check_batch_size(len(items))
            return self._respond(params, items, passthrough=table)
        body = body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(body.validated_data, body.validated_data["titles"])


class TranslateView(_TitlesView):
    """Translate job titles from one company's ladder into another's, through the reference scale."""

    csv_columns = csv.TRANSLATION_COLUMNS
    csv_row = staticmethod(csv.translation_row)

    def answer(self, data: dict[str, Any], items: list[Any]) -> dict[str, Any]:
        return answers.translation_answer(caller_for(self.request), data, items)

    @operation(
        "Translate one title", query=TranslateQuerySerializer, responses=json_or_csv(TranslateResponseSerializer)
    )
    def get(self, request):
        """Resolves `title` (and `code`, when given) in the source ladder, places it on the reference scale and answers
        the best target level with alternatives, a confidence in 0..1 and the basis. An unresolved title is an item
        error with suggestions, not a failed request. `source`/`target` are company slugs or `reference`. `Accept:
        text/csv` or `?format=csv` answers CSV."""
        data = valid_query(TranslateQuerySerializer, request)
        return self._respond(data, [_single(data)])

    @operation(
        "Translate many titles",
        query=CSVQuerySerializer,
        responses=json_or_csv(TranslateResponseSerializer),
        body=TranslateRequestSerializer,
        examples=[TRANSLATE_REQUEST],
    )
    def post(self, request):
        """Up to 10,000 titles per request, answered in input order (repeated titles are computed once). An item is a
        string or `{title, code}`. With `Content-Type: text/csv` the body is a CSV with a `title` column (and optionally
        `code`); `source`, `target`, `framework` and `as_of` then go in the query string, and every other column comes
        back untouched with the translation columns appended (`Accept: text/csv` or `?format=csv`)."""
        return self._post(request, CSVQuerySerializer, TranslateRequestSerializer)

    def csv_items(self, table: dict[str, Any], params: dict[str, Any]) -> list[Any]:
        missing = [name for name in ("source", "target") if name not in params]
        if missing:
            raise ValidationFailed(
                "csv_query_required", "With a CSV body, `source` and `target` go in the query string.", missing[0]
            )
        columns = table["columns"]
        title_column = csv.find_column(columns, params.get("title_column"), csv.TITLE_COLUMNS, "title_column")
        code_column = csv.find_column(columns, params.get("code_column"), csv.CODE_COLUMNS, "code_column")
        return csv.items_of(table, title_column, code_column)


class UnderstandTitlesView(_TitlesView):
    """Understand job titles: job family, seniority, track, and the reference level(s) they sit on."""

    csv_columns = csv.UNDERSTANDING_COLUMNS
    csv_row = staticmethod(csv.understanding_row)

    def answer(self, data: dict[str, Any], items: list[Any]) -> dict[str, Any]:
        return answers.understanding_answer(data, items)

    @operation(
        "Understand one title",
        query=UnderstandQuerySerializer,
        responses=json_or_csv(UnderstandResponseSerializer),
        examples=[UNDERSTAND_ONE_ANSWER],
    )
    def get(self, request):
        """Parses `title` (job family, function qualifiers, seniority, level numbers and codes, track, the parts
        ignored) and places it on the framework's reference levels. A reference level's own name or alias answers with
        confidence 1.0; any other product-management title is placed from what it says (basis `understood`, confidence
        below a ladder hit). A title of another job family is the item error `other_job_family` naming the family.
        `Accept: text/csv` or `?format=csv` answers CSV."""
        query = UnderstandQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        return self._respond(query.validated_data, [_single(query.validated_data)])

    @operation(
        "Understand many titles",
        query=UnderstandCSVQuerySerializer,
        responses=json_or_csv(UnderstandResponseSerializer),
        body=UnderstandRequestSerializer,
        examples=[UNDERSTAND_REQUEST, UNDERSTAND_MANY_ANSWER],
    )
    def post(self, request):
        """Up to 10,000 titles per request, answered in input order (repeated titles are computed once). An item is a
        string or `{title, code}`. With `Content-Type: text/csv` the body is a CSV with a `title` column; `framework`
        and `as_of` then go in the query string, and every other column comes back untouched with the understanding
        columns appended (`Accept: text/csv` or `?format=csv`)."""
        return self._post(request, UnderstandCSVQuerySerializer, UnderstandRequestSerializer)

    def csv_items(self, table: dict[str, Any], params: dict[str, Any]) -> list[Any]:
        if "title" not in table["columns"]:
            raise ValidationFailed("missing_column", "The CSV needs a 'title' column.", "title")
        return csv.items_of(table, "title", "code" if "code" in table["columns"] else None)


class CareerPathView(APIView):
    """Where a title leads: the next level on its track, branch options, and what changes on the way."""

    permission_classes = [TenantAccess]

    @operation("Career path from a title", query=CareerQuerySerializer, responses={200: CareerPathResponseSerializer})
    def get(self, request):
        """Resolves the title in the company's ladder, then gives the next level on its track (several only when they
        share a rank) and the branch options of the reference framework in reference order (Senior PM → Principal PM,
        Group PM, Director), each level once and each step with a short `reason`, the reference responsibilities gained
        and the shift from hands-on to soft-skill focus."""
        data = valid_query(CareerQuerySerializer, request)
        return Response(answers.career_path_answer(caller_for(request), data))

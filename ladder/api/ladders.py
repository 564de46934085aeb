"""The ladder document: a company's whole ladder for one framework, read and written as one document
(JSON, CSV or XLSX), scheduled for a future day, or previewed as a dry run."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ladder import selectors, services, versions
from ladder.api import spreadsheets
from ladder.api import versions as versions_api
from ladder.api.base import ConditionalView, LadderScopedView, not_modified
from ladder.concurrency import ladder_etag
from ladder.documents_io import (
    DOCUMENT_LEVEL_EXAMPLE,
    LadderDocumentInputSerializer,
    LadderDocumentSerializer,
    document_data,
)
from ladder.exceptions import FieldErrors
from ladder.http.parsers import SafeJSONParser
from ladder.models import Company, Framework, Ladder
from ladder.serializer_fields import invalid_choice_message
from ladder.spreadsheet import XLSX_MEDIA_TYPE

DRY_RUN_CHOICES = ["0", "1", "false", "true"]

LADDER_EXAMPLE = {
    "company": "globex",
    "framework": "product-management",
    "version": 7,
    "levels": [DOCUMENT_LEVEL_EXAMPLE],
}
LADDER_PUT_EXAMPLE = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {
            "title": "Senior Product Manager",
            "code": "L5",
            "reference_level": "senior-pm",
            "external_id": "JP-0042",
            "aliases": ["Sr. PM", {"title": "Lead PM", "valid_to": "2024-01-01"}],
        },
        {"title": "Head of Product", "track": "management", "scale_from": 3.5, "scale_to": 6.5},
    ]
}


@extend_schema(tags=["ladders"])
class LadderDocumentView(LadderScopedView, ConditionalView, generics.GenericAPIView):
    """A company's whole ladder for one framework, read and written as one document."""

    serializer_class = LadderDocumentInputSerializer
    parser_classes = [SafeJSONParser, spreadsheets.SheetCSVParser, spreadsheets.SheetXLSXParser]
    renderer_classes = [
        JSONRenderer,
        BrowsableAPIRenderer,
        spreadsheets.LadderCSVRenderer,
        spreadsheets.LadderXLSXRenderer,
    ]

    def handle_exception(self, exc):
        # Errors are always JSON in the one shape, even when a spreadsheet was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    def _document(self, company: Company, framework: Framework):
        return get_object_or_404(selectors.ladder_documents(), company=company, framework=framework)

    def _ladder(self, company: Company) -> Ladder:
        """The company's unarchived ladder for the URL's framework, with its company and framework."""
        ladders = Ladder.objects.filter(archived_at__isnull=True).select_related("company", "framework")
        return get_object_or_404(ladders, company=company, framework__slug=self.kwargs["framework"])

    @extend_schema(
        summary="Get a ladder document",
        description="The ladder with every level (active or not) and its aliases, in rank order. With "
        "`?as_of=YYYY-MM-DD`, the version in effect on that day (past, today or a scheduled future one), "
        "in the shape of `versions/{number}/`.",
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="The ladder in effect on this day (see `versions/`)."
            ),
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv", "xlsx"],
                description="`csv` or `xlsx`: the ladder as a spreadsheet, one row per level, aliases in one "
                "column (see docs/spreadsheets.md); `Accept: text/csv` works too.",
            ),
            OpenApiParameter("excel", str, description="With CSV, `1`: start with a UTF-8 BOM for Excel."),
        ],
        responses={
            (200, "application/json"): PolymorphicProxySerializer(
                component_name="LadderOrVersionDocument",
                serializers=[LadderDocumentSerializer, versions_api.VersionDocumentSerializer],
                resource_type_field_name=None,
            ),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
        },
        examples=[OpenApiExample("Ladder document", value=LADDER_EXAMPLE, response_only=True)],
    )
    def get(self, request, slug: str, framework: str):
        company = self.url_company()
        day = versions_api.parse_day(request.query_params.get("as_of"), "as_of")
        ladder = self._ladder(company)
        if services.is_due(ladder.next_effective_on):
            services.apply_due_for([ladder.pk])
            ladder = self._ladder(company)
        if day is not None:
            return versions_api.as_of_response(request, company, ladder.framework, ladder, day)
        if response := not_modified(request, ladder_etag(ladder)):
            return response
        data = document_data(ladder)
        return Response(data, headers={"ETag": ladder_etag(ladder, data["version"])})

    @extend_schema(
        summary="Replace a ladder document",
        description=(
            "Atomic, idempotent upsert of the whole ladder (the HRIS bulk path). Levels are matched by "
            "`external_id`, then `code`, then normalised title; levels missing from the document are "
            "deactivated, not deleted; `rank` defaults to list order; a level without `reference_level` "
            "gets an inferred anchor. Sending the same document twice changes nothing and keeps `version`. "
            "One bad level or alias rejects the whole document, naming the place (`levels[3].aliases[1].title`)."
            " Read-only fields (`company`, `framework`, `version`, `id`, `anchor`) are ignored, so a GET body "
            "can be sent back as it is. The body may also be the CSV or XLSX of `?format=csv|xlsx` "
            "(`Content-Type: text/csv` or the XLSX type); errors then name the row and column. "
            "`?dry_run=1` validates and answers the diff the write would make, writing nothing."
        ),
        request={
            "application/json": LadderDocumentInputSerializer,
            "text/csv": {
                "type": "string",
                "minLength": 1,
                "description": "A header row with a `title` column; see GET ?format=csv.",
            },
            XLSX_MEDIA_TYPE: {"type": "string", "format": "binary", "minLength": 1},
        },
        parameters=[
            OpenApiParameter(
                "effective_from",
                OpenApiTypes.DATE,
                description="A future day: keep the document as a scheduled version (202) that takes effect then.",
            ),
            OpenApiParameter(
                "dry_run",
                str,
                enum=DRY_RUN_CHOICES,
                description="`1`: validate and answer the diff (`DryRun`) without writing anything.",
            ),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="LadderPutResult",
                serializers=[LadderDocumentSerializer, versions_api.DryRunSerializer],
                resource_type_field_name=None,
            ),
            201: LadderDocumentSerializer,
            202: versions_api.VersionDocumentSerializer,
        },
        examples=[
            OpenApiExample("A three-level ladder", value=LADDER_PUT_EXAMPLE, request_only=True),
            OpenApiExample("Ladder document", value=LADDER_EXAMPLE, response_only=True),
            OpenApiExample("Dry run", value=versions_api.DRY_RUN_EXAMPLE, response_only=True),
        ],
    )
    def put(self, request, slug: str, framework: str):
        company = self.url_company()
        self.require_write(company)
        fw = self.url_framework()
        sheet = spreadsheets.is_sheet(request.data)
        levels, body_day = spreadsheets.document_inputs(request, fw)
        day = versions_api.parse_day(request.query_params.get("effective_from"), "effective_from") or body_day
        dry_run = request.query_params.get("dry_run", "0")
        if dry_run not in DRY_RUN_CHOICES:
            message = invalid_choice_message(dry_run, DRY_RUN_CHOICES)
            raise FieldErrors([{"code": "invalid_choice", "message": message, "field": "dry_run"}])
        document = {"company": company, "framework": fw, "levels": levels, "if_match": self.if_match}
        if dry_run in ("1", "true"):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = "application/json"
            preview = spreadsheets.with_rows_if(sheet, lambda: services.dry_run(**document))
            return Response({"dry_run": True, **preview})
        if day is not None and day != versions.today():
            version = services.schedule_document(**document, effective_from=day)
            return Response(
                versions_api.version_document(company, fw, version),
                status=status.HTTP_202_ACCEPTED,
                headers={"ETag": versions_api.version_etag(version)},
            )
        # The answer is the document as this write left it: read under the write's locks, so that a
        # DELETE landing right after the commit cannot turn a successful PUT into a 404.
        with transaction.atomic():
            written = spreadsheets.with_rows_if(sheet, lambda: services.ladder_document_put(**document))
            ladder = self._document(company, fw)
        return Response(
            LadderDocumentSerializer(ladder).data,
            status=status.HTTP_201_CREATED if written.created else status.HTTP_200_OK,
            headers={"ETag": ladder_etag(ladder)},
        )

    @extend_schema(
        summary="Delete a ladder",
        description="Archives the company's ladder for this framework: hidden from the API with its levels and "
        "aliases kept, restorable by an admin. A later PUT restores it.",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def delete(self, request, slug: str, framework: str):
        company = self.url_company()
        self.require_write(company)
        ladder = get_object_or_404(Ladder, company=company, framework__slug=framework, archived_at__isnull=True)
        services.ladder_archive(ladder=ladder, if_match=self.if_match)
        return Response(status=status.HTTP_204_NO_CONTENT)

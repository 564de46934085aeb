"""API views: thin translations between HTTP and the services/selectors.

Tenancy lives in ``TenantScopedMixin`` (querysets start from what the caller may read) and in the
permission classes; no view filters by organization on its own.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ladder import selectors, services, versions
from ladder.api import filters, spreadsheets
from ladder.api import versions as api_versions
from ladder.api.errors import invalid_choice_message
from ladder.api.mixins import ConditionalMixin, IdempotentCreateMixin, not_modified
from ladder.api.parsers import SafeJSONParser
from ladder.api.permissions import FrameworkOperatorWritesOnly, TenantAccess
from ladder.api.serializers import (
    DOCUMENT_LEVEL_EXAMPLE,
    AliasSerializer,
    ChangeRecordSerializer,
    CompanySerializer,
    FrameworkSerializer,
    LadderDocumentInputSerializer,
    LadderDocumentSerializer,
    LevelSerializer,
)
from ladder.concurrency import alias_etag, company_etag, ladder_etag, level_etag, parse_etags
from ladder.models import ChangeRecord, Company, Framework, Ladder, Level, TitleAlias
from ladder.spreadsheet import XLSX_MEDIA_TYPE
from ladder.tenancy import caller_for, can_write_company, readable_companies, readable_company, readable_q


class TenantScopedMixin:
    """Shared by every tenant-owned resource: the caller, and the company an object belongs to."""

    permission_classes = [TenantAccess]
    written = None  # the object a write produced (for its ETag)

    @property
    def caller(self):
        return caller_for(self.request)

    def company_of(self, obj) -> Company | None:
        raise NotImplementedError

    def require_write(self, company: Company) -> None:
        if not can_write_company(self.caller, company):
            raise exceptions.PermissionDenied("You may read this company but not change it.")

    def history_response(self, company: Company, records):
        """A page of change history; only the owning organization sees who changed what."""
        caller = self.caller
        if not (caller.is_superuser or company.organization_id in caller.readable_org_ids):
            raise exceptions.PermissionDenied("A company's history is visible to its own organization only.")
        records = records.exclude(action=ChangeRecord.Action.VERSION)  # versions have their own endpoint
        object_type = self.request.query_params.get("object_type")
        if object_type:
            if object_type not in ChangeRecord.ObjectType.values:
                message = invalid_choice_message(object_type, ChangeRecord.ObjectType.values)
                raise exceptions.ValidationError(
                    {"object_type": [exceptions.ErrorDetail(message, code="invalid_choice")]}
                )
            records = records.filter(object_type=object_type)
        page = self.paginate_queryset(records.order_by("-changed_at", "-id"))
        return self.get_paginated_response(ChangeRecordSerializer(page, many=True).data)


# --- Frameworks -----------------------------------------------------------------------------------


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
class FrameworkViewSet(viewsets.ModelViewSet):
    serializer_class = FrameworkSerializer
    permission_classes = [FrameworkOperatorWritesOnly]
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "updated_at"]
    ordering = ["slug"]

    def get_queryset(self):
        return selectors.frameworks_with_levels()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        levels = data.pop("reference_levels", [])
        serializer.instance = services.framework_save(framework=Framework(), values=data, reference_levels=levels)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        levels = data.pop("reference_levels", None)
        serializer.instance = services.framework_save(
            framework=serializer.instance, values=data, reference_levels=levels
        )

    def perform_destroy(self, instance):
        services.framework_delete(framework=instance)


# --- Companies ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List companies",
        description="Your organization's companies and public ones. With `updated_since`, archived (deleted) "
        "companies changed since then are listed too, as tombstones with `is_archived: true`.",
    ),
    retrieve=extend_schema(
        summary="Get a company",
        description="One readable company with its ladders. `ETag`; `If-None-Match` answers 304.",
    ),
    create=extend_schema(
        summary="Create a company",
        description="The company belongs to your organization, whatever the body says. Needs a write key.",
    ),
    partial_update=extend_schema(summary="Change a company", description="Only your organization's companies."),
    destroy=extend_schema(summary="Delete a company", description="Only your organization's companies."),
)
@extend_schema(tags=["companies"])
class CompanyViewSet(TenantScopedMixin, IdempotentCreateMixin, ConditionalMixin, viewsets.ModelViewSet):
    serializer_class = CompanySerializer
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = filters.CompanyFilter
    ordering_fields = ["slug", "name", "updated_at", "created_at"]
    ordering = ["slug"]

    def get_queryset(self):
        companies = readable_companies(self.caller)
        if self.action == "history" or (self.action == "list" and "updated_since" in self.request.query_params):
            # A sync learns of archived companies as tombstones, and their owner keeps their history.
            companies = Company.objects.filter(readable_q(self.caller))
        return companies.select_related("organization").prefetch_related(
            Prefetch("ladders", queryset=Ladder.objects.filter(archived_at__isnull=True).select_related("framework"))
        )

    def company_of(self, obj: Company) -> Company:
        return obj

    def get_object(self) -> Company:
        company = readable_company(self.caller, self.kwargs["slug"], self.filter_queryset(self.get_queryset()))
        if company is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, company)
        return company

    def etag_of(self, obj: Company) -> str:
        return company_etag(obj)

    def perform_create(self, serializer):
        if self.caller.home_org_id is None:
            raise exceptions.PermissionDenied("Your account belongs to no organization that may create companies.")
        serializer.instance = self.written = services.company_create(
            organization_id=self.caller.home_org_id, values=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.written = services.company_update(
            company=serializer.instance, values=serializer.validated_data, if_match=self.if_match
        )

    def perform_destroy(self, instance):
        services.company_archive(company=instance, if_match=self.if_match)

    @extend_schema(
        summary="Change history of a company",
        description="Every change to the company, its ladders, levels and aliases, newest first: who (user or "
        "API key name), when, the request id, and the values before and after. Visible to the company's own "
        "organization. `?object_type=level` narrows it.",
        parameters=[OpenApiParameter("object_type", str, enum=ChangeRecord.ObjectType.values)],
        responses={200: ChangeRecordSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[])
    def history(self, request, slug=None):
        company = self.get_object()
        return self.history_response(company, ChangeRecord.objects.filter(company=company))


# --- Ladder document ------------------------------------------------------------------------------

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
class LadderDocumentView(TenantScopedMixin, generics.GenericAPIView):
    """A company's whole ladder for one framework, read and written as one document."""

    serializer_class = LadderDocumentInputSerializer
    lookup_url_kwarg = "slug"
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

    def get_queryset(self):
        return readable_companies(self.caller)

    def company_of(self, obj: Company) -> Company:
        return obj

    def _company(self) -> Company:
        company = readable_company(self.caller, self.kwargs["slug"], self.get_queryset())
        if company is None:
            raise exceptions.NotFound()
        return company

    def _framework(self) -> Framework:
        return get_object_or_404(Framework.objects.prefetch_related("reference_levels"), slug=self.kwargs["framework"])

    def _document(self, company: Company, framework: Framework):
        return get_object_or_404(selectors.ladder_documents(), company=company, framework=framework)

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
                serializers=[LadderDocumentSerializer, api_versions.VersionDocumentSerializer],
                resource_type_field_name=None,
            ),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
        },
        examples=[OpenApiExample("Ladder document", value=LADDER_EXAMPLE, response_only=True)],
    )
    def get(self, request, slug: str, framework: str):
        company, fw = self._company(), self._framework()
        day = api_versions.parse_day(request.query_params.get("as_of"), "as_of")
        ladder = get_object_or_404(Ladder, company=company, framework=fw, archived_at__isnull=True)
        if services.is_due(ladder.next_effective_on):
            services.apply_due_for([ladder.pk])
        if day is not None:
            return api_versions.as_of_response(request, company, fw, ladder, day)
        ladder = self._document(company, fw)
        etag = ladder_etag(ladder)
        return not_modified(request, etag) or Response(LadderDocumentSerializer(ladder).data, headers={"ETag": etag})

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
                serializers=[LadderDocumentSerializer, api_versions.DryRunSerializer],
                resource_type_field_name=None,
            ),
            201: LadderDocumentSerializer,
            202: api_versions.VersionDocumentSerializer,
        },
        examples=[
            OpenApiExample("A three-level ladder", value=LADDER_PUT_EXAMPLE, request_only=True),
            OpenApiExample("Ladder document", value=LADDER_EXAMPLE, response_only=True),
            OpenApiExample("Dry run", value=api_versions.DRY_RUN_EXAMPLE, response_only=True),
        ],
    )
    def put(self, request, slug: str, framework: str):
        company = self._company()
        self.require_write(company)
        fw = self._framework()
        sheet = spreadsheets.is_sheet(request.data)
        levels, body_day = document_inputs(request, fw)
        day = api_versions.parse_day(request.query_params.get("effective_from"), "effective_from") or body_day
        dry_run = request.query_params.get("dry_run", "0")
        if dry_run not in DRY_RUN_CHOICES:
            message = invalid_choice_message(dry_run, DRY_RUN_CHOICES)
            raise exceptions.ValidationError({"dry_run": [exceptions.ErrorDetail(message, code="invalid_choice")]})
        if dry_run in ("1", "true"):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = "application/json"
            preview = with_rows_if(
                sheet,
                lambda: services.dry_run(
                    company=company,
                    framework=fw,
                    levels=levels,
                    if_match=parse_etags(request.headers.get("If-Match")),
                ),
            )
            return Response({"dry_run": True, **preview})
        if day is not None and day != versions.today():
            version = services.schedule_document(
                company=company,
                framework=fw,
                levels=levels,
                effective_from=day,
                if_match=parse_etags(request.headers.get("If-Match")),
            )
            return Response(
                api_versions.version_document(company, fw, version),
                status=status.HTTP_202_ACCEPTED,
                headers={"ETag": api_versions.version_etag(version)},
            )
        # The answer is the document as this write left it: read under the write's locks, so that a
        # DELETE landing right after the commit cannot turn a successful PUT into a 404.
        with transaction.atomic():
            written = with_rows_if(
                sheet,
                lambda: services.ladder_document_put(
                    company=company,
                    framework=fw,
                    levels=levels,
                    if_match=parse_etags(request.headers.get("If-Match")),
                ),
            )
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
        company = self._company()
        self.require_write(company)
        ladder = get_object_or_404(Ladder, company=company, framework__slug=framework, archived_at__isnull=True)
        services.ladder_archive(ladder=ladder, if_match=parse_etags(request.headers.get("If-Match")))
        return Response(status=status.HTTP_204_NO_CONTENT)


def document_inputs(request, fw: Framework):
    """A ladder document from the request body (JSON, CSV or XLSX): its levels and ``effective_from``."""
    data = request.data
    sheet = spreadsheets.is_sheet(data)
    if sheet:
        data = spreadsheets.sheet_document(data)
    serializer = LadderDocumentInputSerializer(
        data=data, context={"reference_levels": {rl.slug: rl for rl in fw.reference_levels.all()}}
    )
    with_rows_if(sheet, lambda: serializer.is_valid(raise_exception=True))
    return serializer.to_level_inputs(), serializer.validated_data.get("effective_from")


def with_rows_if(sheet: bool, call):
    """``call()``; for a spreadsheet body, its errors name the row and column."""
    return spreadsheets.with_rows(call) if sheet else call()


# --- Levels and aliases ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List levels",
        description="Levels of every readable ladder. `updated_since` returns what changed since a time (HRIS sync).",
    ),
    retrieve=extend_schema(summary="Get a level", description="One level with its aliases and its ladder's version."),
    create=extend_schema(
        summary="Create a level",
        description="`company` and `framework` name the ladder (created when missing). Without "
        "`reference_level` the anchor is inferred from the title and rank.",
    ),
    update=extend_schema(
        summary="Replace a level", description="All writable fields; a level stays in its ladder. Bumps the version."
    ),
    partial_update=extend_schema(
        summary="Change a level",
        description="Only the given fields; giving `reference_level` makes the anchor explicit.",
    ),
    destroy=extend_schema(
        summary="Deactivate a level",
        description="Levels are never deleted, only deactivated: the level stays readable, with "
        "`is_active: false` and its history, so that a sync sees the change.",
    ),
)
@extend_schema(tags=["levels"])
class LevelViewSet(TenantScopedMixin, IdempotentCreateMixin, ConditionalMixin, viewsets.ModelViewSet):
    serializer_class = LevelSerializer
    filterset_class = filters.LevelFilter
    ordering_fields = ["rank", "title", "updated_at", "id"]
    ordering = ["ladder_id", "rank", "id"]

    def get_queryset(self):
        return selectors.levels_for(readable_companies(self.caller))

    def company_of(self, obj: Level) -> Company:
        return obj.ladder.company

    def etag_of(self, obj: Level) -> str:
        return level_etag(obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        ladder_ref = data.pop("ladder")
        company = readable_company(self.caller, ladder_ref["company"]["slug"])
        if company is None:
            raise exceptions.NotFound()
        self.require_write(company)
        framework = self._framework(ladder_ref["framework"]["slug"])
        changes = self._level_changes(data, framework)
        serializer.instance = self.written = services.level_create(
            company=company, framework=framework, changes=changes
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("ladder", None)
        changes = self._level_changes(data, serializer.instance.ladder.framework)
        serializer.instance = self.written = services.level_save(
            level=serializer.instance, changes=changes, if_match=self.if_match
        )

    def perform_destroy(self, instance):
        services.level_deactivate(level=instance, if_match=self.if_match)

    @extend_schema(
        summary="Change history of a level",
        description="Every change to the level and its aliases, newest first, with before and after values. "
        "A deactivated level (after `DELETE`) keeps its history, readable by its own organization.",
        parameters=[OpenApiParameter("object_type", str, enum=ChangeRecord.ObjectType.values)],
        responses={200: ChangeRecordSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[])
    def history(self, request, pk=None):
        level = self.get_object()
        return self.history_response(level.ladder.company, ChangeRecord.objects.filter(level_id=level.pk))

    @staticmethod
    def _framework(slug: str) -> Framework:
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None:
            raise exceptions.ValidationError(
                {"framework": [exceptions.ErrorDetail(f'Unknown framework "{slug}".', code="unknown_framework")]}
            )
        return framework

    @staticmethod
    def _level_changes(data: dict, framework: Framework) -> dict:
        if "reference_level" in data:
            ref = data.pop("reference_level")
            slug = ref["slug"] if ref else None
            if slug is None:
                data["reference_level"] = None
            else:
                found = framework.reference_levels.filter(slug=slug).first()
                if found is None:
                    message = f'Unknown reference level "{slug}" in framework "{framework.slug}".'
                    raise exceptions.ValidationError(
                        {"reference_level": [exceptions.ErrorDetail(message, code="unknown_reference_level")]}
                    )
                data["reference_level"] = found
        return data


@extend_schema_view(
    list=extend_schema(summary="List aliases", description="Aliases of levels of every readable ladder."),
    retrieve=extend_schema(summary="Get an alias", description="One alias of a readable level."),
    create=extend_schema(summary="Create an alias", description="Another title for a level, with validity dates."),
    update=extend_schema(summary="Replace an alias", description="All fields; `valid_to` is exclusive."),
    partial_update=extend_schema(summary="Change an alias", description="Only the given fields."),
    destroy=extend_schema(summary="Delete an alias", description="Removes the alias; bumps the ladder version."),
)
@extend_schema(tags=["aliases"])
class AliasViewSet(TenantScopedMixin, IdempotentCreateMixin, ConditionalMixin, viewsets.ModelViewSet):
    serializer_class = AliasSerializer
    filterset_class = filters.AliasFilter
    ordering_fields = ["title", "updated_at", "id"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.aliases_for(readable_companies(self.caller))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["level_queryset"] = Level.objects.filter(
            ladder__company__in=readable_companies(self.caller), ladder__archived_at__isnull=True
        )
        return context

    def company_of(self, obj: TitleAlias) -> Company:
        return obj.level.ladder.company

    def etag_of(self, obj: TitleAlias) -> str:
        return alias_etag(obj)

    def perform_create(self, serializer):
        level = serializer.validated_data["level"]
        self.require_write(level.ladder.company)
        serializer.instance = self.written = services.alias_save(alias=TitleAlias(), changes=serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "level" in data and data["level"].pk != serializer.instance.level_id:
            self.require_write(data["level"].ladder.company)
            if data["level"].ladder_id != serializer.instance.ladder_id:
                message = "An alias can only move to a level of the same ladder."
                raise exceptions.ValidationError({"level": [exceptions.ErrorDetail(message, code="other_ladder")]})
        serializer.instance = self.written = services.alias_save(
            alias=serializer.instance, changes=data, if_match=self.if_match
        )

    def perform_destroy(self, instance):
        services.alias_delete(alias=instance, if_match=self.if_match)

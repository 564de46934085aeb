"""Companies: an organization's own, and the public ones everyone reads."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from ladder import services
from ladder.api import filters
from ladder.api.base import ResourceViewSet
from ladder.api.history import history_action
from ladder.concurrency import company_etag
from ladder.exceptions import NotFound, PermissionDenied
from ladder.models import ChangeRecord, Company, Ladder
from ladder.selectors import live_ladder_frameworks
from ladder.serializer_fields import StrictCharField, StrictModelSerializer
from ladder.tenancy import readable_companies, readable_company, readable_q
from ladder.times import iso_time


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
        read_only_fields = ["id", "organization", "ladders", "version", "created_at", "updated_at"]
        # Slug uniqueness is the model's (per organization, and among public companies), checked by the
        # service with the organization known; DRF's generated validators would report it for no field.
        validators = []

    def validate_external_id(self, value):
        return (value or "").strip() or None

    def get_is_archived(self, obj: Company) -> bool:
        return obj.archived_at is not None

    # A page of the list is read as plain rows and written out here, without model instances or DRF's
    # field-by-field traversal (most of a list's cost): the same JSON as ``to_representation``, which
    # ``tests/api/test_companies.py`` checks company by company.
    # The columns of those rows: the fields, the organization by its slug, less what is computed.
    ROW_FIELDS = tuple(
        "organization__slug" if name == "organization" else name
        for name in Meta.fields
        if name not in ("ladders", "is_archived")
    )

    @classmethod
    def rows_representation(cls, rows: list[dict], ladders: dict[int, list[str]]) -> list[dict]:
        """Companies as ``ROW_FIELDS`` rows, with each one's live ladders' framework slugs."""
        zone = timezone.get_current_timezone()
        return [
            {
                "id": row["id"],
                "slug": row["slug"],
                "name": row["name"],
                "size_band": row["size_band"],
                "is_public": row["is_public"],
                "external_id": row["external_id"],
                "organization": row["organization__slug"],
                "ladders": [{"framework": slug} for slug in ladders.get(row["id"], ())],
                "version": row["version"],
                "is_archived": row["archived_at"] is not None,
                "archived_at": iso_time(row["archived_at"], zone),
                "created_at": iso_time(row["created_at"], zone),
                "updated_at": iso_time(row["updated_at"], zone),
            }
            for row in rows
        ]


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
class CompanyViewSet(ResourceViewSet):
    serializer_class = CompanySerializer
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = filters.CompanyFilter
    ordering_fields = ["slug", "name", "updated_at", "created_at"]
    ordering = ["slug"]
    etag = staticmethod(company_etag)

    def get_queryset(self):
        companies = readable_companies(self.caller)
        if self.action == "history" or (self.action == "list" and "updated_since" in self.request.query_params):
            # A sync learns of archived companies as tombstones, and their owner keeps their history.
            companies = Company.objects.filter(readable_q(self.caller))
        if self.action == "list":
            return companies  # read as rows: ``list``
        return companies.select_related("organization").prefetch_related(
            Prefetch("ladders", queryset=Ladder.objects.filter(archived_at__isnull=True).select_related("framework"))
        )

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).values(*CompanySerializer.ROW_FIELDS)
        page = self.paginate_queryset(rows)
        ladders = live_ladder_frameworks([row["id"] for row in page])
        return self.get_paginated_response(CompanySerializer.rows_representation(page, ladders))

    def company_of(self, obj: Company) -> Company:
        return obj

    def get_object(self) -> Company:
        company = readable_company(self.caller, self.kwargs["slug"], self.filter_queryset(self.get_queryset()))
        if company is None:
            raise NotFound("not_found", "Not found.")
        self.check_object_permissions(self.request, company)
        return company

    def create_object(self, data):
        if self.caller.home_org_id is None:
            message = "Your account belongs to no organization that may create companies."
            raise PermissionDenied("permission_denied", message)
        return services.company_create(organization_id=self.caller.home_org_id, values=data)

    def update_object(self, instance, data, if_match):
        return services.company_update(company=instance, values=data, if_match=if_match)

    def destroy_object(self, instance, if_match):
        services.company_archive(company=instance, if_match=if_match)

    history = history_action("company", lambda company: (company, ChangeRecord.objects.filter(company=company)))

"""``GET /api/v1/changes/``: the changes feed (``ladder.feed``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ladder import feed
from ladder.api.filters import UtcDateTimeField
from ladder.api.pagination import _whole_number
from ladder.models import ChangeRecord
from ladder.tenancy import caller_for

ENTRY_TYPES = [
    "company.created",
    "company.updated",
    "company.archived",
    "company.restored",
    "ladder.created",
    "ladder.archived",
    "ladder.restored",
    "ladder_version.created",
    "ladder_version.scheduled",
    "ladder_version.cancelled",
    "ladder_version.failed",
    "level.created",
    "level.updated",
    "alias.created",
    "alias.updated",
    "alias.deleted",
]
ENTRY_TYPE_CHOICES = [(t, t) for t in ENTRY_TYPES]


class FeedObjectSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ChangeRecord.ObjectType.choices)
    id = serializers.IntegerField()
    company = serializers.CharField(allow_null=True, help_text="Company slug.")
    framework = serializers.CharField(allow_null=True, help_text="Framework slug (ladders, levels, aliases).")
    level_id = serializers.IntegerField(allow_null=True)


class FeedEntrySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Opaque and unique; also a cursor that resumes after this entry.")
    type = serializers.ChoiceField(choices=ENTRY_TYPE_CHOICES)
    time = serializers.DateTimeField()
    object = FeedObjectSerializer()
    ladder_version = serializers.IntegerField(allow_null=True, help_text="The ladder version it is part of.")
    fields = serializers.ListField(child=serializers.CharField(), help_text="Updates: the fields that changed.")
    tombstone = serializers.BooleanField(
        help_text="True when the object is archived, deleted or deactivated (`is_active` false)."
    )
    actor = serializers.CharField(help_text="A user name or an API key's name.")
    request_id = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="Where to fetch the object (null when it is gone).")


class FeedPageSerializer(serializers.Serializer):
    results = FeedEntrySerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Pass back as `cursor` for the next page; returned even when the page is empty."
    )
    has_more = serializers.BooleanField(help_text="True when another page is ready now.")


FEED_EXAMPLE = {
    "results": [
        {
            "id": "c1.NzQ0OjEyMDM",
            "type": "level.updated",
            "time": "2026-03-09T10:00:00.120000Z",
            "object": {
                "type": "level",
                "id": 42,
                "company": "globex",
                "framework": "product-management",
                "level_id": 42,
            },
            "ladder_version": 7,
            "fields": ["title"],
            "tombstone": False,
            "actor": "api-key:hris-sync",
            "request_id": "9f1c2a",
            "url": "/api/v1/levels/42/",
        },
        {
            "id": "c1.NzQ0OjEyMDQ",
            "type": "ladder_version.created",
            "time": "2026-03-09T10:00:00.121000Z",
            "object": {
                "type": "ladder",
                "id": 12,
                "company": "globex",
                "framework": "product-management",
                "level_id": None,
            },
            "ladder_version": 7,
            "fields": [],
            "tombstone": False,
            "actor": "api-key:hris-sync",
            "request_id": "9f1c2a",
            "url": "/api/v1/companies/globex/ladders/product-management/versions/7/",
        },
    ],
    "next_cursor": "c1.NzQ0OjEyMDQ",
    "has_more": False,
}


class ChangesView(APIView):
    """Every change visible to your organization, oldest first, resumable by cursor."""

    @extend_schema(
        tags=["changes"],
        summary="Changes feed",
        description=(
            "Every change to your organization's companies and to public companies: companies, ladders, "
            "ladder versions, levels and aliases, archives and restores, oldest first in a stable order. "
            "Start without a cursor (or with `since`), then pass `next_cursor` back as `cursor`; no change "
            "is skipped or repeated, even when writes commit concurrently (an entry appears once every "
            "older transaction has finished). Archived companies and ladders, and deactivated levels, appear "
            "as tombstones (`tombstone: true`). Entries are thin: fetch `url` for the object."
        ),
        parameters=[
            OpenApiParameter(
                "cursor",
                {"type": "string", "pattern": r"^c1\.[A-Za-z0-9_-]{1,60}$"},
                description="`next_cursor` of the previous page (or any entry's `id`).",
            ),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only changes at or after this time."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Entries per page ({feed.DEFAULT_PAGE}; more than {feed.MAX_PAGE} gives {feed.MAX_PAGE}).",
            ),
        ],
        responses={200: FeedPageSerializer},
        examples=[OpenApiExample("Two entries", value=FEED_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        params = request.query_params
        since = None
        if "since" in params:
            try:
                since = UtcDateTimeField().clean(params["since"])
            except DjangoValidationError:
                since = None
            if since is None:
                raise exceptions.ValidationError(
                    {"since": [exceptions.ErrorDetail("An ISO 8601 time is required.", code="invalid")]}
                )
        if params.get("cursor") == "":
            raise exceptions.ValidationError({"cursor": [exceptions.ErrorDetail("May not be empty.", code="blank")]})
        size = _whole_number(request, "page_size") or feed.DEFAULT_PAGE
        try:
            page = feed.feed_page(caller=caller_for(request), cursor=params.get("cursor"), since=since, limit=size)
        except feed.BadCursor:
            raise exceptions.ValidationError(
                {"cursor": [exceptions.ErrorDetail("Not a cursor this feed gave out.", code="unknown_cursor")]}
            ) from None
        return Response(
            {
                "results": page.entries,  # plain data already (a serializer would triple the time)
                "next_cursor": page.next_cursor,
                "has_more": page.has_more,
            }
        )

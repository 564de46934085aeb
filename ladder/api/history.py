"""The change history of a company or a level (``…/history/``): who changed what, when, before and after."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from ladder.exceptions import FieldErrors, PermissionDenied
from ladder.models import ChangeRecord, Company
from ladder.serializer_fields import invalid_choice_message
from ladder.tenancy import can_read_history


class ChangeRecordSerializer(serializers.ModelSerializer):
    """One entry of the change history."""

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "changed_at",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "ladder_id",
            "level_id",
            "ladder_version",
            "actor",
            "request_id",
            "before",
            "after",
        ]
        read_only_fields = fields


def history_page(view, company: Company, records):
    """A page of change history; only the owning organization sees who changed what."""
    if not can_read_history(view.caller, company):
        raise PermissionDenied("permission_denied", "A company's history is visible to its own organization only.")
    records = records.exclude(action=ChangeRecord.Action.VERSION)  # versions have their own endpoint
    object_type = view.request.query_params.get("object_type")
    if object_type:
        if object_type not in ChangeRecord.ObjectType.values:
            message = invalid_choice_message(object_type, ChangeRecord.ObjectType.values)
            raise FieldErrors([{"code": "invalid_choice", "message": message, "field": "object_type"}])
        records = records.filter(object_type=object_type)
    page = view.paginate_queryset(records.order_by("-changed_at", "-id"))
    return view.get_paginated_response(ChangeRecordSerializer(page, many=True).data)


# The documentation of each history endpoint: (summary, description).
HISTORY_TEXTS = {
    "company": (
        "Change history of a company",
        "Every change to the company, its ladders, levels and aliases, newest first: who (user or API key name), "
        "when, the request id, and the values before and after. Visible to the company's own organization. "
        "`?object_type=level` narrows it.",
    ),
    "level": (
        "Change history of a level",
        "Every change to the level and its aliases, newest first, with before and after values. A deactivated "
        "level (after `DELETE`) keeps its history, readable by its own organization.",
    ),
}


def history_action(resource: str, records: Callable):
    """The ``history`` action of a viewset: ``records(obj)`` gives the object's company and its records."""
    summary, description = HISTORY_TEXTS[resource]

    @extend_schema(
        summary=summary,
        description=description,
        parameters=[OpenApiParameter("object_type", str, enum=ChangeRecord.ObjectType.values)],
        responses={200: ChangeRecordSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[])
    def history(self, request, **kwargs):
        company, rows = records(self.get_object())
        return history_page(self, company, rows)

    return history

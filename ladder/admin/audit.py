"""The change history, read-only."""

from __future__ import annotations

from django.contrib import admin

from ladder import tenancy
from ladder.admin.mixins import caller, is_staff
from ladder.admin.versions import change_record_html
from ladder.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """The change history, read-only: who changed what, when, in which request, before and after."""

    list_display = ["changed_at", "action", "object_type", "object_repr", "company", "actor", "request_id"]
    # Choices come from the rows the user may see (get_queryset), never from every company.
    list_filter = ["action", "object_type", ("company", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["company"]
    search_fields = ["object_repr", "actor", "request_id"]
    date_hierarchy = "changed_at"
    # A readable diff instead of the raw before/after JSON; the actor is a user name or an API key's
    # name (never the key or its hash).
    fields = [
        "changed_at",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "company",
        "ladder_id",
        "level_id",
        "ladder_version",
        "actor",
        "request_id",
        "changes",
    ]
    readonly_fields = fields

    @admin.display(description="Changes")
    def changes(self, obj) -> str:
        return change_record_html(obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(company__in=tenancy.admin_companies(caller(request)))

    def has_module_permission(self, request) -> bool:
        return is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_staff(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

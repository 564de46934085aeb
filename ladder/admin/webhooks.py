"""Webhook subscriptions in the admin: each staff member sees their organizations' subscriptions."""

from __future__ import annotations

from django.contrib import admin

from ladder.models import WebhookDelivery, WebhookSubscription
from ladder.webhooks.delivery import new_secret


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event_type", "event_id", "status", "attempts", "response_code", "last_error", "created_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created_at", "-id")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "organization", "is_active", "flagged_at", "created_at"]
    list_filter = ["is_active", "organization"]
    fields = ["organization", "url", "events", "is_active", "flagged_at", "secret"]
    readonly_fields = ["flagged_at", "secret"]
    inlines = [WebhookDeliveryInline]

    @admin.display(description="Secret (verifies the signatures)")
    def secret(self, obj) -> str:
        return obj.secret if obj.pk else "Created on save."

    def get_queryset(self, request):
        from ladder.admin.mixins import editable_org_ids

        qs = super().get_queryset(request).select_related("organization")
        return qs if request.user.is_superuser else qs.filter(organization_id__in=editable_org_ids(request))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            from ladder.admin.mixins import editable_org_ids
            from ladder.models import Organization

            kwargs["queryset"] = Organization.objects.filter(pk__in=editable_org_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not obj.secret:
            obj.secret = new_secret()
        if obj.is_active and "is_active" in form.changed_data:
            obj.flagged_at = None
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        from ladder.admin.mixins import editable_org_ids

        return request.user.is_superuser or bool(request.user.is_staff and editable_org_ids(request))

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

"""Organizations, their members and API keys: superusers only."""

from __future__ import annotations

from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin

from ladder.admin.mixins import SuperuserOnlyMixin
from ladder.models import ApiKey, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["slug", "name", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]


@admin.register(ApiKey)
class ApiKeyAdmin(SuperuserOnlyMixin, APIKeyModelAdmin):
    """Keys are hashed at rest: the key is shown once, in the message after creation."""

    list_display = [*APIKeyModelAdmin.list_display, "organization", "role"]
    list_filter = [*APIKeyModelAdmin.list_filter, "organization", "role"]
    list_select_related = ["organization"]

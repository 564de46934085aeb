"""Levels and their title aliases, each on its own page; every save goes through the services."""

from __future__ import annotations

from django.contrib import admin

from ladder import services, tenancy
from ladder.admin.html import provenance_html
from ladder.admin.ladders import LevelForm, save_level
from ladder.admin.mixins import RuleBookForm, ServiceWritesMixin, TenantAdminMixin, TenantInlineMixin, caller
from ladder.models import Ladder, Level, ReferenceLevel, TitleAlias


def save_alias(alias: TitleAlias, changes: dict, creating: bool) -> TitleAlias:
    """One alias, through the same service call as the API's alias endpoints."""
    if creating:
        return services.alias_save(alias=TitleAlias(level=changes.get("level") or alias.level), changes=changes)
    return services.alias_save(alias=alias, changes=changes)


class TitleAliasForm(RuleBookForm):
    validate = staticmethod(services.alias_check)


class TitleAliasInline(TenantInlineMixin, ServiceWritesMixin, admin.TabularInline):
    model = TitleAlias
    form = TitleAliasForm
    fields = ["title", "valid_from", "valid_to", "external_id"]
    extra = 0

    def service_save(self, obj, changes, creating):
        return save_alias(obj, changes, creating)

    def service_delete(self, obj) -> None:
        services.alias_delete(alias=obj)


@admin.register(Level)
class LevelAdmin(TenantAdminMixin, ServiceWritesMixin, admin.ModelAdmin):
    company_path = "ladder__company"
    list_display = ["title", "code", "company", "framework", "track", "rank", "reference_level", "anchor", "is_active"]
    list_filter = [
        "ladder__framework",
        "track",
        "is_active",
        "anchor",
        ("ladder__company__organization", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["ladder__company", "ladder__framework", "reference_level"]
    search_fields = ["title", "code", "external_id", "ladder__company__name", "ladder__company__slug"]
    readonly_fields = ["title_normalized", "sources", "version", "created_at", "updated_at"]
    ordering = ["ladder", "rank", "id"]
    inlines = [TitleAliasInline]
    form = LevelForm

    def service_save(self, obj, changes, creating):
        if creating:
            obj = Level(ladder=changes["ladder"])
        return save_level(obj, changes, creating)

    @admin.display(description="Sources")
    def sources(self, obj) -> str:
        return provenance_html(obj.provenance if obj is not None else None)

    @admin.display(ordering="ladder__company__name")
    def company(self, obj) -> str:
        return obj.ladder.company.name

    @admin.display(ordering="ladder__framework__slug")
    def framework(self, obj) -> str:
        return obj.ladder.framework.slug

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "ladder":
            qs = Ladder.objects.select_related("company", "framework")
            if not request.user.is_superuser:
                qs = qs.filter(company__in=tenancy.admin_companies(caller(request)))
            kwargs["queryset"] = qs
        if db_field.name == "reference_level":
            kwargs["queryset"] = ReferenceLevel.objects.select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # levels are never deleted: untick "is active" to retire one


@admin.register(TitleAlias)
class TitleAliasAdmin(TenantAdminMixin, ServiceWritesMixin, admin.ModelAdmin):
    company_path = "ladder__company"
    list_display = ["title", "level", "company", "valid_from", "valid_to"]
    list_filter = ["ladder__framework", ("ladder__company__organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["level", "ladder__company"]
    search_fields = ["title", "level__title", "ladder__company__name"]
    readonly_fields = ["title_normalized", "version", "created_at", "updated_at"]

    @admin.display(ordering="ladder__company__name")
    def company(self, obj) -> str:
        return obj.ladder.company.name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            qs = Level.objects.select_related("ladder__company")
            if not request.user.is_superuser:
                qs = qs.filter(ladder__company__in=tenancy.admin_companies(caller(request)))
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    form = TitleAliasForm

    def service_save(self, obj, changes, creating):
        return save_alias(obj, changes, creating)

    def service_delete(self, obj) -> None:
        services.alias_delete(alias=obj)

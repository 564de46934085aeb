"""Companies, with their ladders listed; deleting one archives it."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ladder import services
from ladder.admin.html import compare_link_html
from ladder.admin.mixins import (
    ArchivingAdminMixin,
    ServiceWritesMixin,
    TenantAdminMixin,
    TenantInlineMixin,
    editable_org_ids,
)
from ladder.models import Company, Ladder, Organization


class LadderInline(TenantInlineMixin, ServiceWritesMixin, admin.TabularInline):
    model = Ladder
    can_delete = False  # archive a ladder from its own page instead
    fields = ["framework", "version", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    extra = 0
    show_change_link = True

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a ladder's framework is fixed; add another ladder instead

    def service_save(self, obj, changes, creating):
        return services.ladder_create(company=obj.company, framework=changes["framework"])


@admin.register(Company)
class CompanyAdmin(TenantAdminMixin, ArchivingAdminMixin, ServiceWritesMixin, admin.ModelAdmin):
    company_path = "pk"
    list_display = ["name", "slug", "organization", "size_band", "is_public", "archived_at", "updated_at"]
    list_filter = [
        ("organization", admin.RelatedOnlyFieldListFilter),
        "size_band",
        "is_public",
        ("archived_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["organization"]
    search_fields = ["name", "slug", "external_id"]
    readonly_fields = [
        "version",
        "archived_at",
        "compare_link",
        "company_sources",
        "history_link",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LadderInline]

    @admin.display(description="Chart")
    def compare_link(self, obj) -> str:
        return compare_link_html(obj)

    @admin.display(description="Sources")
    def company_sources(self, obj) -> str:
        """Where a catalog company's ladder comes from (community data; see docs/catalog.md)."""
        sources = [s for s in (obj.sources if obj is not None else None) or [] if isinstance(s, dict)]
        if not sources:
            return "-"
        from ladder.compare import safe_url

        items = [
            format_html(
                "<li>{} (read {})</li>",
                format_html(
                    '<a href="{}" rel="noopener noreferrer">{}</a>',
                    safe_url(s.get("url")),
                    s.get("title") or s.get("url"),
                )
                if safe_url(s.get("url"))
                else s.get("title") or "-",
                s.get("read_on", "?"),
            )
            for s in sources
        ]
        return format_html("<ul>{}</ul>", mark_safe("".join(items)))  # noqa: S308 (each item escaped above)

    def service_save(self, obj, changes, creating):
        if creating:
            organization = changes.pop("organization")
            return services.company_create(organization_id=organization.pk, values=changes)
        return services.company_update(company=obj, values=changes)

    def archive(self, obj) -> None:
        services.company_archive(company=obj)

    def restore(self, obj) -> None:
        services.company_restore(company=obj)

    @admin.display(description="History")
    def history_link(self, obj) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:ladder_changerecord_changelist") + f"?company__id__exact={obj.pk}"
        return format_html('<a href="{}">Every change to this company and its ladders</a>', url)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(pk__in=editable_org_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

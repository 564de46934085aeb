"""The shared reference frameworks: read by every staff member, changed by platform operators only."""

from __future__ import annotations

from django.contrib import admin

from ladder import services
from ladder.admin.mixins import FrameworkOperatorWritesMixin, LevelCountMixin, ServiceWritesMixin
from ladder.models import Competency, ExpectedProficiency, Framework, ReferenceLevel


class ReferenceLevelInline(FrameworkOperatorWritesMixin, ServiceWritesMixin, admin.TabularInline):
    model = ReferenceLevel
    fields = ["slug", "name", "track", "position", "focus_hands_on", "reports_to"]
    extra = 0
    show_change_link = True
    ordering = ["position", "track"]

    def service_save(self, obj, changes, creating):
        return services.reference_level_save(reference_level=obj)

    def service_delete(self, obj) -> None:
        services.reference_level_delete(reference_level=obj)


@admin.register(Framework)
class FrameworkAdmin(FrameworkOperatorWritesMixin, LevelCountMixin, ServiceWritesMixin, admin.ModelAdmin):
    count_of = "reference_levels"
    list_display = ["slug", "name", "level_count", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ReferenceLevelInline]

    def service_save(self, obj, changes, creating):
        return services.framework_save(framework=obj, values=changes, reference_levels=None)

    def service_delete(self, obj) -> None:
        services.framework_delete(framework=obj)


class ExpectedProficiencyInline(FrameworkOperatorWritesMixin, admin.TabularInline):
    model = ExpectedProficiency
    fields = ["competency", "proficiency"]
    extra = 0
    autocomplete_fields = ["competency"]


@admin.register(ReferenceLevel)
class ReferenceLevelAdmin(FrameworkOperatorWritesMixin, ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "framework", "track", "position", "focus_hands_on"]
    list_filter = ["framework", "track"]
    list_select_related = ["framework"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["promotes_to"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ExpectedProficiencyInline]

    def service_save(self, obj, changes, creating):
        return services.reference_level_save(reference_level=obj)

    def service_delete(self, obj) -> None:
        services.reference_level_delete(reference_level=obj)


@admin.register(Competency)
class CompetencyAdmin(FrameworkOperatorWritesMixin, ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "framework", "kind"]
    list_filter = ["framework", "kind"]
    list_select_related = ["framework"]
    search_fields = ["name", "slug"]
    readonly_fields = ["created_at", "updated_at"]

    def service_save(self, obj, changes, creating):
        return services.competency_save(competency=obj, values=changes)

    def service_delete(self, obj) -> None:
        services.competency_delete(competency=obj)

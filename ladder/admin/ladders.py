"""A company's ladder: its levels in one table (with anchors and spans), its versions and spreadsheets.

Each changed row of the table is saved through ``services.level_save`` (a retired level through
``services.level_deactivate``), exactly as the API's level endpoints do.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ladder import rules, services, tenancy
from ladder.admin import spreadsheets as admin_spreadsheets
from ladder.admin.html import compare_link_html
from ladder.admin.mixins import (
    ArchivingAdminMixin,
    LevelCountMixin,
    RuleBookForm,
    ServiceWritesMixin,
    TenantAdminMixin,
    TenantInlineMixin,
    caller,
)
from ladder.admin.versions import versions_panel
from ladder.choices import Anchor
from ladder.models import Ladder, Level, ReferenceLevel
from ladder.web import ladder_chart


def save_level(level: Level, changes: dict, creating: bool) -> Level:
    """One level row of the admin, through the same service calls as the API's level endpoints."""
    if not creating and changes == {"is_active": False}:
        return services.level_deactivate(level=level)
    return services.level_save(level=Level(ladder=level.ladder) if creating else level, changes=changes)


class LevelForm(RuleBookForm):
    validate = staticmethod(services.level_check)


class LevelInlineFormSet(forms.BaseInlineFormSet):
    """Checks the whole table of levels with the rule book (rows being added are not stored yet)."""

    def clean(self) -> None:
        super().clean()
        rows = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        levels = [_DocumentRow(f) for f in rows]
        for error in rules.document_errors(levels, self.instance.framework_id):
            index, _, name = error["field"].partition("].")
            form = rows[int(index.removeprefix("levels["))]
            form.add_error(name if name in form.fields else None, error["message"])


class _DocumentRow:
    """A level form's row as the rule book reads a document level (its aliases stay as stored)."""

    aliases = ()

    def __init__(self, form) -> None:
        data, instance = form.cleaned_data, form.instance
        self.title = data.get("title") or ""
        self.code = (data.get("code") or "").strip() or None
        self.external_id = instance.external_id
        self.is_active = data.get("is_active", True)
        self.scale_from, self.scale_to = data.get("scale_from"), data.get("scale_to")
        self.reference_level = data.get("reference_level")


class LevelInline(TenantInlineMixin, ServiceWritesMixin, admin.TabularInline):
    """The levels of a ladder, sized to fit a 1,400 px window, with each level's anchor and span."""

    model = Level
    form = LevelForm
    formset = LevelInlineFormSet
    can_delete = False  # levels are never deleted: untick "is active" to retire one
    fields = [
        "rank",
        "title",
        "code",
        "track",
        "reference_level",
        "anchor_kind",
        "scale_from",
        "scale_to",
        "span",
        "is_active",
    ]
    readonly_fields = ["anchor_kind", "span"]
    ordering = ["rank", "id"]
    extra = 0
    show_change_link = True  # a level's page lists its aliases
    classes = ["levels-inline"]
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 22})},
        models.PositiveIntegerField: {"widget": forms.NumberInput(attrs={"style": "width:3.4em"})},
        models.FloatField: {"widget": forms.NumberInput(attrs={"style": "width:4em", "step": "any"})},
    }
    TRACK_SHORT = {"ic": "IC", "management": "Management", "executive": "Executive"}

    def service_save(self, obj, changes, creating):
        return save_level(obj, changes, creating)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "code" and field is not None:
            field.widget.attrs["size"] = 6
        if db_field.name == "track" and field is not None:
            field.choices = [(value, self.TRACK_SHORT.get(value, label)) for value, label in field.choices]
        if db_field.name == "reference_level" and field is not None:
            # Short labels ("3 · senior-pm"), and no add/change/view buttons: they cost width.
            field.label_from_instance = lambda rl: f"{rl.position} · {rl.name}"
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_view_related = False
            widget.can_delete_related = False
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reference_level":
            kwargs["queryset"] = ReferenceLevel.objects.select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Anchor")
    def anchor_kind(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        if obj.reference_level_id is None:
            return format_html('<span class="anchor-none" title="{}">none</span>', "No anchor could be inferred.")
        if obj.anchor == Anchor.INFERRED:
            return format_html(
                '<span class="anchor-inferred" title="{}">inferred</span>',
                "Chosen by pmladder from the title and rank; pick a reference level to make it explicit.",
            )
        return mark_safe('<span class="anchor-explicit">explicit</span>')

    @admin.display(description="Span")
    def span(self, obj) -> str:
        interval = obj.interval if obj is not None and obj.pk else None
        if interval is None:
            return "-"
        own = obj.scale_from is not None
        return format_html(
            '<span class="span{}" title="{}">{}–{}</span>',
            "" if own else " span-default",
            "Set on the level" if own else "From the anchor (position ± 0.5)",
            f"{interval[0]:g}",
            f"{interval[1]:g}",
        )


@admin.register(Ladder)
class LadderAdmin(TenantAdminMixin, LevelCountMixin, ArchivingAdminMixin, ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["company", "framework", "version", "level_count", "archived_at", "updated_at"]
    list_filter = [
        "framework",
        ("company__organization", admin.RelatedOnlyFieldListFilter),
        ("archived_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["company", "framework"]
    search_fields = ["company__name", "company__slug"]
    readonly_fields = ["version", "compare_link", "archived_at", "created_at", "updated_at", "spreadsheet", "versions"]
    inlines = [LevelInline]
    # The change page draws the levels on the scale above the table (ladder/templates/admin/ladder/ladder/).
    change_form_template = "admin/ladder/ladder/change_form.html"

    @admin.display(description="Chart")
    def compare_link(self, obj) -> str:
        return compare_link_html(obj.company if obj is not None and obj.pk else None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        ladder = self.get_object(request, object_id)
        if ladder is not None:
            ladder = Ladder.objects.select_related("company", "framework").get(pk=ladder.pk)
            extra_context["ladder_chart"] = mark_safe(ladder_chart(ladder))  # noqa: S308 (rendered by our template)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fixed = ["company", "framework"] if obj is not None and obj.pk else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def service_save(self, obj, changes, creating):
        return services.ladder_create(company=changes["company"], framework=changes["framework"])

    def get_urls(self):
        return admin_spreadsheets.urls(self) + super().get_urls()

    @admin.display(description="Spreadsheet")
    def spreadsheet(self, obj) -> str:
        return admin_spreadsheets.links(obj)

    @admin.display(description="Versions (newest first, each with its changes)")
    def versions(self, obj) -> str:
        return versions_panel(obj)

    def archive(self, obj) -> None:
        services.ladder_archive(ladder=obj)

    def restore(self, obj) -> None:
        services.ladder_restore(ladder=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "company" and not request.user.is_superuser:
            kwargs["queryset"] = tenancy.admin_companies(caller(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

"""The Django admin, where HR admins maintain ladders.

Superusers see everything. Other staff see and edit only the companies (and their ladders, levels and
aliases) of organizations where they are an editor or admin; frameworks are read-only to them.
"""

from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey as LibraryAPIKey

from ladder import admin_spreadsheets, audit, services
from ladder.admin_versions import change_record_html, versions_panel
from ladder.choices import Anchor, MemberRole
from ladder.engine.anchors import infer_anchors
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.models import (
    ApiKey,
    ChangeRecord,
    Company,
    Competency,
    ExpectedProficiency,
    Framework,
    Ladder,
    Level,
    Membership,
    Organization,
    ReferenceLevel,
    TitleAlias,
    bump_versions,
)
from ladder.selectors import framework_snapshot
from ladder.tenancy import can_write_frameworks, user_admin_companies

# The library's own key model is unused: keys here belong to an organization (``ladder.ApiKey``).
admin.site.unregister(LibraryAPIKey)

admin.site.site_header = "pmladder"
admin.site.site_title = "pmladder admin"
admin.site.index_title = "Career ladders"


def editable_org_ids(user) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role__in=[MemberRole.EDITOR, MemberRole.ADMIN]).values_list(
            "organization_id", flat=True
        )
    )


class FrameworkOperatorWritesMixin:
    """Shared reference data: every staff member reads it, only platform operators change it."""

    def has_add_permission(self, request, *args) -> bool:
        return can_write_frameworks(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_write_frameworks(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_write_frameworks(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff


class TenantAdminMixin:
    """Restricts rows to the staff member's companies; ``company_path`` leads from the row to Company."""

    company_path = "company"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.company_path}__in": user_admin_companies(request.user)})

    def _is_staff_editor(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request) -> bool:
        return self._is_staff_editor(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_staff_editor(request)

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser or (self._is_staff_editor(request) and bool(editable_org_ids(request.user)))

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_staff_editor(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_staff_editor(request)


class TenantInlineMixin:
    """Inline rows follow their page's rules: the page itself is already limited to the member's companies.

    Without this, a staff member without Django model permissions (an HR editor) would see the rows of
    their own ladder read-only and could not add a level or an alias.
    """

    def _is_staff_editor(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_staff_editor(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or (self._is_staff_editor(request) and bool(editable_org_ids(request.user)))

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or (self._is_staff_editor(request) and bool(editable_org_ids(request.user)))

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.can_delete and self.has_change_permission(request, obj)


class AuditedAdminMixin:
    """Writes every admin change to the change history (with before/after values), like the API does.

    Inline rows are recorded too. Versions grow with each change, so ETags and translation caches see
    admin edits at once.
    """

    def _before(self, obj):
        if obj.pk is None:
            return None
        fresh = type(obj).objects.filter(pk=obj.pk).first()
        return audit.values_of(fresh) if fresh is not None else None

    def save_model(self, request, obj, form, change) -> None:
        if change and not form.has_changed():
            return  # nothing to save or record (inline rows are handled by save_formset)
        services.lock_for_write(obj)  # the one lock order of every write (ladder.services)
        before = self._before(obj) if change else None
        if change and hasattr(obj, "version") and before != audit.values_of(obj):
            obj.version += 1
        super().save_model(request, obj, form, change)
        if change:
            audit.record(obj, ChangeRecord.Action.UPDATE, before, audit.values_of(obj))
        else:
            audit.save_records([audit.created(obj)])

    def save_formset(self, request, form, formset, change) -> None:
        befores = {f.instance.pk: self._before(f.instance) for f in formset.initial_forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        records = [audit.created(obj) for obj in formset.new_objects]
        for obj, _fields in formset.changed_objects:
            records.append(audit.change(obj, ChangeRecord.Action.UPDATE, befores.get(obj.pk), audit.values_of(obj)))
        for obj in formset.deleted_objects:
            records.append(audit.deleted(obj, befores.get(obj.pk)))
        changed_ids = [obj.pk for obj, _ in formset.changed_objects if hasattr(obj, "version")]
        if changed_ids:
            bump_versions(formset.model.objects.filter(pk__in=changed_ids))
        audit.save_records(records)

    def log_change(self, request, obj, message):
        if not message:  # Django's "No fields changed.": nothing was saved, so nothing is logged
            request._pmladder_unchanged = True
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "_pmladder_unchanged", False):
            self.message_user(request, f"No changes to “{obj}”: nothing was saved or recorded.", messages.INFO)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def delete_model(self, request, obj) -> None:
        services.lock_for_write(obj)
        before = audit.values_of(obj)
        super().delete_model(request, obj)
        audit.save_records([audit.deleted(obj, before)])

    def delete_queryset(self, request, queryset) -> None:
        records = [audit.deleted(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        audit.save_records(records)


class ArchivingAdminMixin:
    """Deleting archives (hidden from the API, restorable here) instead of destroying rows."""

    actions = ["archive_selected", "restore_selected"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj) -> None:
        self.archive(obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.archive(obj)

    @admin.action(description="Archive selected (hide from the API; restorable)")
    def archive_selected(self, request, queryset) -> None:
        for obj in queryset.filter(archived_at__isnull=True):
            self.archive(obj)
        self.message_user(request, "Archived.", messages.SUCCESS)

    @admin.action(description="Restore selected")
    def restore_selected(self, request, queryset) -> None:
        restored = 0
        for obj in queryset.filter(archived_at__isnull=False):
            self.restore(obj)
            restored += 1
        self.message_user(request, f"Restored {restored}.", messages.SUCCESS)


# --- Frameworks -----------------------------------------------------------------------------------


class ReferenceLevelInline(FrameworkOperatorWritesMixin, admin.TabularInline):
    model = ReferenceLevel
    fields = ["slug", "name", "track", "position", "focus_hands_on", "reports_to"]
    extra = 0
    show_change_link = True
    ordering = ["position", "track"]


@admin.register(Framework)
class FrameworkAdmin(FrameworkOperatorWritesMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "name", "level_count", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ReferenceLevelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_level_count=Count("reference_levels"))

    @admin.display(description="Reference levels", ordering="_level_count")
    def level_count(self, obj) -> int:
        return obj._level_count


class ExpectedProficiencyInline(FrameworkOperatorWritesMixin, admin.TabularInline):
    model = ExpectedProficiency
    fields = ["competency", "proficiency"]
    extra = 0
    autocomplete_fields = ["competency"]


@admin.register(ReferenceLevel)
class ReferenceLevelAdmin(FrameworkOperatorWritesMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "framework", "track", "position", "focus_hands_on"]
    list_filter = ["framework", "track"]
    list_select_related = ["framework"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["promotes_to"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ExpectedProficiencyInline]


@admin.register(Competency)
class CompetencyAdmin(FrameworkOperatorWritesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "framework", "kind"]
    list_filter = ["framework", "kind"]
    list_select_related = ["framework"]
    search_fields = ["name", "slug"]
    readonly_fields = ["created_at", "updated_at"]


# --- Organizations and keys -----------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "updated_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    """Keys are hashed at rest: the key is shown once, in the message after creation."""

    list_display = [*APIKeyModelAdmin.list_display, "organization", "role"]
    list_filter = [*APIKeyModelAdmin.list_filter, "organization", "role"]
    list_select_related = ["organization"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


# --- Companies and ladders ------------------------------------------------------------------------


class LadderInline(TenantInlineMixin, admin.TabularInline):
    model = Ladder
    can_delete = False  # archive a ladder from its own page instead
    fields = ["framework", "version", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    extra = 0
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(TenantAdminMixin, ArchivingAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs.filter(pk__in=user_admin_companies(request.user))

    def archive(self, obj) -> None:
        services.archive_company(company=obj)

    def restore(self, obj) -> None:
        services.restore_company(company=obj)

    @admin.display(description="History")
    def history_link(self, obj) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:ladder_changerecord_changelist") + f"?company__id__exact={obj.pk}"
        return format_html('<a href="{}">Every change to this company and its ladders</a>', url)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(pk__in=editable_org_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def compare_link_html(company) -> str:
    """ "Compare with…": the chart of this company beside the reference ladder, where others can be added."""
    if company is None or company.pk is None:
        return "-"
    url = reverse("compare") + "?" + urlencode({"companies": company.slug})
    return format_html('<a href="{}">Compare with…</a> other companies on the reference scale', url)


def provenance_html(provenance) -> str:
    """A catalog level's sources, note and disagreements, as a short list (only http(s) links)."""
    from ladder.compare import clean_provenance

    clean = clean_provenance(provenance)
    if not clean:
        return "-"
    items = [
        format_html(
            "<li>{} (read {}){}</li>",
            format_html('<a href="{}" rel="noopener noreferrer">{}</a>', s["url"], s["url"]) if s["url"] else "-",
            s.get("read_on", "?"),
            f": {s['claim']}" if s.get("claim") else "",
        )
        for s in clean["sources"]
    ]
    items += [
        format_html("<li>Disagrees: {} ({})</li>", d.get("claim", ""), d["url"] or "-") for d in clean["disagreements"]
    ]
    note = format_html("<p>{}</p>", clean["note"]) if clean["note"] else ""
    return format_html("{}<ul>{}</ul>", note, mark_safe("".join(items)))  # noqa: S308 (each item escaped above)


def settle_anchors(ladder: Ladder, formset) -> None:
    """After the admin saved a ladder's levels: a chosen anchor is explicit, an empty one is inferred.

    The same rules as the API: a level whose reference level a person set (or changed) is anchored
    explicitly; every level without one gets an anchor inferred from its title and rank, marked
    ``inferred``. Changes are versioned and recorded like every other write.
    """
    chosen = {obj.pk for obj, fields in formset.changed_objects if "reference_level" in fields}
    chosen |= {obj.pk for obj in formset.new_objects if obj.reference_level_id}
    levels = list(ladder.levels.select_related("reference_level").order_by("rank", "pk"))
    explicit = {
        lv.pk
        for lv in levels
        if lv.reference_level_id and (lv.pk in chosen or (lv.anchor == Anchor.EXPLICIT and lv.pk not in chosen))
    }
    active = [lv for lv in levels if lv.is_active]
    refs = {rl.slug: rl for rl in ladder.framework.reference_levels.all()}
    slugs = (
        infer_anchors(
            [(lv.title, lv.track, lv.rank, lv.reference_level.slug if lv.pk in explicit else None) for lv in active],
            framework_snapshot(ladder.framework),
        )
        if refs and active
        else []
    )
    inferred = dict(zip([lv.pk for lv in active], slugs, strict=True))
    changed, records = [], []
    for lv in levels:
        before = audit.values_of(lv)
        if lv.pk in explicit:
            lv.anchor = Anchor.EXPLICIT
        elif lv.pk in inferred:
            lv.reference_level = refs.get(inferred[lv.pk])
            lv.anchor = Anchor.INFERRED
        if audit.values_of(lv) != before:
            lv.ladder = ladder
            changed.append(lv)
            records.append(audit.change(lv, ChangeRecord.Action.UPDATE, before, audit.values_of(lv)))
    if changed:
        Level.objects.bulk_update(changed, ["reference_level", "anchor"])
        bump_versions(Level.objects.filter(pk__in=[lv.pk for lv in changed]))
        audit.save_records(records)


class LevelInlineFormSet(forms.BaseInlineFormSet):
    """Checks the whole set of levels at once: rows being added are not in the database yet."""

    def clean(self) -> None:
        super().clean()
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("is_active", True)
        ]
        codes = Counter(normalize_code(r["code"]) for r in rows if r.get("code"))
        repeated_codes = sorted(code for code, n in codes.items() if n > 1)
        if repeated_codes:
            raise ValidationError(f"Codes used by more than one level: {', '.join(repeated_codes)}.")
        by_title: dict[str, list[dict]] = {}
        for r in rows:
            if r.get("title"):
                by_title.setdefault(normalize_title(r["title"]), []).append(r)
        for group in by_title.values():
            if len(group) > 1 and any(not r.get("code") for r in group):
                raise ValidationError(
                    f'"{group[0]["title"]}" is the title of more than one level; levels that share a title '
                    "need distinct codes."
                )


class LevelInline(TenantInlineMixin, admin.TabularInline):
    """The levels of a ladder, sized to fit a 1,400 px window, with each level's anchor and span."""

    model = Level
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
class LadderAdmin(TenantAdminMixin, ArchivingAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
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
            from ladder.web import ladder_chart

            ladder = Ladder.objects.select_related("company", "framework").get(pk=ladder.pk)
            extra_context["ladder_chart"] = mark_safe(ladder_chart(ladder))  # noqa: S308 (rendered by our template)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Level:
            settle_anchors(form.instance, formset)

    def get_urls(self):
        return admin_spreadsheets.urls(self) + super().get_urls()

    @admin.display(description="Spreadsheet")
    def spreadsheet(self, obj) -> str:
        return admin_spreadsheets.links(obj)

    @admin.display(description="Versions (newest first, each with its changes)")
    def versions(self, obj) -> str:
        return versions_panel(obj)

    def archive(self, obj) -> None:
        services.archive_ladder(ladder=obj)

    def restore(self, obj) -> None:
        services.restore_ladder(ladder=obj)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_level_count=Count("levels"))

    @admin.display(description="Levels", ordering="_level_count")
    def level_count(self, obj) -> int:
        return obj._level_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "company" and not request.user.is_superuser:
            kwargs["queryset"] = user_admin_companies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(fs.has_changed() for fs in formsets)):
            form.instance.bump_version()


class TitleAliasInline(TenantInlineMixin, admin.TabularInline):
    model = TitleAlias
    fields = ["title", "valid_from", "valid_to", "external_id"]
    extra = 0


@admin.register(Level)
class LevelAdmin(TenantAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
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
                qs = qs.filter(company__in=user_admin_companies(request.user))
            kwargs["queryset"] = qs
        if db_field.name == "reference_level":
            kwargs["queryset"] = ReferenceLevel.objects.select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        aliases_changed = any(fs.has_changed() for fs in formsets)
        if change and aliases_changed and not form.has_changed():
            bump_versions(Level.objects.filter(pk=form.instance.pk))
        if form.has_changed() or aliases_changed or not change:
            form.instance.ladder.bump_version()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # levels are never deleted: untick "is active" to retire one


@admin.register(TitleAlias)
class TitleAliasAdmin(TenantAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
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
                qs = qs.filter(ladder__company__in=user_admin_companies(request.user))
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and not form.has_changed():
            return
        bump_versions(Level.objects.filter(pk=obj.level_id))
        obj.ladder.bump_version()

    def delete_model(self, request, obj) -> None:
        ladder, level_id = obj.ladder, obj.level_id
        super().delete_model(request, obj)
        bump_versions(Level.objects.filter(pk=level_id))
        ladder.bump_version()


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
        return qs.filter(company__in=user_admin_companies(request.user))

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


from ladder import admin_webhooks  # noqa: E402, F401 (registers the webhook admin)

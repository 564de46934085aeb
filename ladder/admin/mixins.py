"""What every admin page shares: who may do what (from ``ladder.tenancy``), and writing through the
services, so that an edit here leaves the same rows, anchors, versions and history as the same edit
through the API.

A page (or inline) that writes names its service calls: ``service_save(obj, changes, creating)``
and, where rows may be deleted, ``service_delete(obj)``. Forms ask the same validation the services
run (``RuleBookForm``), so a person sees the rule book's message on the field concerned.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from ladder import tenancy
from ladder.exceptions import ApplicationError
from ladder.tenancy import can_write_frameworks


def caller(request) -> tenancy.Caller:
    return tenancy.caller_for(request)


def editable_org_ids(request) -> frozenset[int]:
    return caller(request).writable_org_ids


def is_staff(request) -> bool:
    return request.user.is_active and request.user.is_staff


def can_add_for_tenant(request) -> bool:
    return request.user.is_superuser or (is_staff(request) and bool(editable_org_ids(request)))


class SuperuserOnlyMixin:
    """Accounts and keys: superusers only."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class FrameworkOperatorWritesMixin:
    """Shared reference data: every staff member reads it, only platform operators change it."""

    def has_add_permission(self, request, *args) -> bool:
        return can_write_frameworks(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_write_frameworks(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_write_frameworks(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_staff(request)


class TenantAdminMixin:
    """Restricts rows to the staff member's companies; ``company_path`` leads from the row to Company."""

    company_path = "company"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.company_path}__in": tenancy.admin_companies(caller(request))})

    def has_module_permission(self, request) -> bool:
        return is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_staff(request)

    def has_add_permission(self, request, *args) -> bool:
        return can_add_for_tenant(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_staff(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_staff(request)


class TenantInlineMixin:
    """Inline rows follow their page's rules: the page itself is already limited to the member's companies.

    Without this, a staff member without Django model permissions (an HR editor) would see the rows of
    their own ladder read-only and could not add a level or an alias.
    """

    def has_view_permission(self, request, obj=None) -> bool:
        return is_staff(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return can_add_for_tenant(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_add_for_tenant(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.can_delete and self.has_change_permission(request, obj)


class RuleBookForm(forms.ModelForm):
    """A model form that also asks the services' validation (``validate(instance)``, the rule book's
    cross-row rules) and shows each error on its field."""

    validate = None  # a service's cross-row check, e.g. ``services.level_check`` (clean() ran the rest)

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors or type(self).validate is None:
            return
        try:
            type(self).validate(self.instance)
        except ApplicationError as exc:
            for item in exc.errors:
                name = item["field"] if item["field"] in self.fields else None
                self.add_error(name, forms.ValidationError(item["message"], code=item["code"]))


def changes_of(form) -> dict:
    """The values a form changed, by model field name, as the services take them."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}


def adopt(obj, saved) -> None:
    """Make the admin's in-memory object the row a service saved (the admin goes on using ``obj``)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db


class ServiceWritesMixin:
    """Saves, inline rows and deletions go through the page's service calls, never ``obj.save()``."""

    def service_save(self, obj, changes: dict, creating: bool):
        raise NotImplementedError

    def service_delete(self, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        if change and not form.has_changed():
            return  # nothing to save or record (inline rows: save_formset; the message: log_change)
        saved = self.service_save(obj, changes_of(form) if change else dict(form.cleaned_data), not change)
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change) -> None:
        inline = next((i for i in self.get_inline_instances(request) if i.model is formset.model), None)
        if not isinstance(inline, ServiceWritesMixin):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new/changed/deleted_objects (the change message) and writes nothing
        with transaction.atomic():
            for row in formset.forms:
                if row in formset.deleted_forms:
                    if row.instance.pk is not None:
                        inline.service_delete(row.instance)
                elif row.has_changed():
                    creating = row.instance.pk is None
                    changes = changes_of(row) if not creating else dict(row.cleaned_data)
                    for name in ("id", "DELETE", formset.fk.name):
                        changes.pop(name, None)
                    if creating:
                        setattr(row.instance, formset.fk.name, form.instance)
                    adopt(row.instance, inline.service_save(row.instance, changes, creating))

    def delete_model(self, request, obj) -> None:
        self.service_delete(obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.service_delete(obj)

    def log_change(self, request, obj, message):
        if not message:  # Django's "No fields changed.": nothing was saved, so nothing is logged
            request._pmladder_unchanged = True
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "_pmladder_unchanged", False) and not self._formsets_changed(request):
            self.message_user(request, f"No changes to “{obj}”: nothing was saved or recorded.", messages.INFO)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def _formsets_changed(self, request) -> bool:
        return getattr(request, "_pmladder_formsets_changed", False)

    def save_related(self, request, form, formsets, change) -> None:
        request._pmladder_formsets_changed = any(fs.has_changed() for fs in formsets)
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ArchivingAdminMixin:
    """Deleting archives (hidden from the API, restorable here) instead of destroying rows."""

    actions = ["archive_selected", "restore_selected"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def service_delete(self, obj) -> None:
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


class LevelCountMixin:
    """A sortable list column counting the rows named by ``count_of`` (levels, rungs)."""

    count_of = "levels"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_level_count=Count(self.count_of))

    @admin.display(description="Levels", ordering="_level_count")
    def level_count(self, obj) -> int:
        return obj._level_count

"""Permissions: authenticated to read; a write key (or editing membership) to write; operators for frameworks."""

from __future__ import annotations

from rest_framework import permissions

from ladder.tenancy import caller_for, can_write_company, can_write_frameworks


def _is_authenticated(request) -> bool:
    return request.auth is not None or bool(request.user and request.user.is_authenticated)


class TenantAccess(permissions.BasePermission):
    """Any authenticated caller reads; writing needs write rights on the object's organization.

    Objects are looked up in the caller's readable queryset first, so another tenant's private object
    is a 404 before this check runs; a readable object the caller may not change is a 403.
    """

    message = "Your API key or account may read but not write."

    def has_permission(self, request, view) -> bool:
        if not _is_authenticated(request):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "post_reads_only", False):
            return True
        return caller_for(request).can_write

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        company = view.company_of(obj)
        return company is None or can_write_company(caller_for(request), company)


class FrameworkOperatorWritesOnly(permissions.BasePermission):
    """Frameworks are shared by every tenant: anyone authenticated reads; only platform operators
    (superusers, or users with ``ladder.operate_frameworks``) write, never through an API key."""

    message = "Only platform operators may change the shared frameworks."

    def has_permission(self, request, view) -> bool:
        if not _is_authenticated(request):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.auth is None and can_write_frameworks(request.user)

"""The write protocol of the API, written once for every resource (after NetBox's ``NetBoxModelViewSet``).

- A read answers the representation's ``ETag``; ``If-None-Match`` naming it answers 304.
- A write passes ``If-Match`` to the service, which compares it with the row's ETag under the row lock
  (412 when stale); the answer carries the ETag of what was written.
- A create with an ``Idempotency-Key`` runs once: a replay answers what the first request did.

``ConditionalView`` is the part every conditional view shares (the ladder document and its versions
too); the schema documents ``ETag``, ``If-None-Match``, 304, ``If-Match`` and 412 for the views that are
one (``ladder.api.schema``). ``ResourceViewSet`` is the base of the resources' viewsets, which declare
their queryset, serializer, filterset and ``etag`` and implement ``create_object``, ``update_object``
and ``destroy_object`` with a service call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from ladder import idempotency
from ladder.concurrency import parse_etags
from ladder.exceptions import Conflict, NotFound, PermissionDenied, Unprocessable, ValidationFailed
from ladder.http.permissions import TenantAccess
from ladder.models import Company, Framework
from ladder.tenancy import caller_for, can_write_company, readable_companies, readable_company

KEY_HEADER = "Idempotency-Key"

# Why a claimed Idempotency-Key cannot run the request: the error, its code and message.
_KEY_ERRORS = {
    idempotency.IdempotencyMismatch: (
        Unprocessable,
        "idempotency_key_reused",
        "This Idempotency-Key was used with a different request.",
    ),
    idempotency.IdempotencyConflict: (
        Conflict,
        "idempotency_in_progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    ),
}


def not_modified(request, etag: str) -> Response | None:
    """304 when ``If-None-Match`` names the current ETag (or ``*``), else None."""
    wanted = parse_etags(request.headers.get("If-None-Match"))
    if wanted and (etag in wanted or "*" in wanted):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return None


class ConditionalView:
    """A view whose reads answer an ``ETag`` (304 for a matching ``If-None-Match``) and whose writes
    take ``If-Match``. The schema asks ``isinstance(view, ConditionalView)`` and ``view.conditional``."""

    conditional = True

    @property
    def if_match(self) -> list[str] | None:
        return parse_etags(self.request.headers.get("If-Match"))

    def conditional_response(self, data: Any, etag: str) -> Response:
        """The representation with its ``ETag``, or 304 when the caller has it already."""
        return not_modified(self.request, etag) or Response(data, headers={"ETag": etag})


class TenantScopedView:
    """A view of tenant-owned data: the caller, and the check that it may change a company's data."""

    permission_classes = [TenantAccess]

    @property
    def caller(self):
        return caller_for(self.request)

    def require_write(self, company: Company) -> None:
        if not can_write_company(self.caller, company):
            raise PermissionDenied("permission_denied", "You may read this company but not change it.")


class LadderScopedView(TenantScopedView):
    """A view of one company's ladder: the company (readable by the caller) and the framework in the URL."""

    lookup_url_kwarg = "slug"

    def get_queryset(self):
        return readable_companies(self.caller)

    def company_of(self, obj: Company) -> Company:
        return obj

    def url_company(self) -> Company:
        company = readable_company(self.caller, self.kwargs["slug"], self.get_queryset())
        if company is None:
            raise NotFound("not_found", "Not found.")
        return company

    def url_framework(self) -> Framework:
        """The framework the URL names, with its reference levels prefetched (for writes)."""
        return get_object_or_404(Framework.objects.prefetch_related("reference_levels"), slug=self.kwargs["framework"])


class ResourceViewSet(TenantScopedView, ConditionalView, viewsets.ModelViewSet):
    """The base of a resource's viewset.

    Declare ``serializer_class``, ``filterset_class``, ``selector`` (the resource's queryset within the
    companies the caller may read) and ``etag`` (a function of an object; ``None``: no conditional
    requests), and implement the service hooks. Set ``idempotent_create = False`` to ignore
    ``Idempotency-Key``.
    """

    selector: Callable[[Any], Any] | None = None
    etag: Callable[[Any], str] | None = None
    idempotent_create = True
    written = None  # the object the write produced (for its ETag)

    @property
    def conditional(self) -> bool:
        return self.etag is not None

    def get_queryset(self):
        return self.selector(readable_companies(self.caller))

    def company_of(self, obj) -> Company | None:
        """The company whose write rights a change of ``obj`` needs (``TenantAccess``)."""
        raise NotImplementedError

    # --- Service hooks ----------------------------------------------------------------------------

    def create_object(self, data: dict) -> Any:
        raise NotImplementedError

    def update_object(self, instance: Any, data: dict, if_match: list[str] | None) -> Any:
        raise NotImplementedError

    def destroy_object(self, instance: Any, if_match: list[str] | None) -> None:
        raise NotImplementedError

    def perform_create(self, serializer) -> None:
        serializer.instance = self.written = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = self.written = self.update_object(serializer.instance, data, self.if_match)

    def perform_destroy(self, instance) -> None:
        self.destroy_object(instance, self.if_match)

    # --- Conditional reads, ETags, idempotent creates ---------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        if self.etag is None:
            return super().retrieve(request, *args, **kwargs)
        instance = self.get_object()
        return self.conditional_response(self.get_serializer(instance).data, self.etag(instance))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        written = self.written
        if self.etag is not None and written is not None and response.status_code < 300 and "ETag" not in response:
            response["ETag"] = self.etag(written)
        return response

    def create(self, request, *args, **kwargs):
        key = request.headers.get(KEY_HEADER)
        if key is None or not self.idempotent_create:
            return super().create(request, *args, **kwargs)
        if not idempotency.valid_key(key):
            message = f"Idempotency-Key must be 1 to {idempotency.MAX_KEY_LENGTH} printable ASCII characters."
            raise ValidationFailed("invalid_idempotency_key", message, KEY_HEADER)
        try:
            claimed = idempotency.claim(
                owner=_owner(request), key=key.strip(), method=request.method, path=request.path, body=request.data
            )
        except (idempotency.IdempotencyMismatch, idempotency.IdempotencyConflict) as exc:
            error, code, message = _KEY_ERRORS[type(exc)]
            raise error(code, message, KEY_HEADER) from None
        if claimed.replay:
            record = claimed.record
            headers = {**record.response_headers, "Idempotent-Replayed": "true"}
            return Response(record.response_body, status=record.response_status, headers=headers)
        try:
            # The create and the record of its answer commit together: a retry after any failure
            # finds either both (and gets the stored answer) or neither (and creates once).
            with transaction.atomic():
                response = super().create(request, *args, **kwargs)
                headers = {"ETag": self.etag(self.written)} if self.etag and self.written is not None else {}
                idempotency.complete(claimed, status=response.status_code, body=response.data, headers=headers)
        except BaseException:
            idempotency.release(claimed)
            raise
        return response


def _owner(request) -> str:
    if request.auth is not None and hasattr(request.auth, "pk"):
        return f"api-key:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    raise exceptions.NotAuthenticated()

"""Behaviour shared by the API's resources: ETags and conditional requests, idempotent creates."""

from __future__ import annotations

from django.db import transaction
from rest_framework import exceptions, status
from rest_framework.response import Response

from ladder import idempotency
from ladder.api.errors import ApiError
from ladder.concurrency import parse_etags


def not_modified(request, etag: str) -> Response | None:
    """304 when ``If-None-Match`` names the current ETag (or ``*``), else None."""
    wanted = parse_etags(request.headers.get("If-None-Match"))
    if wanted and (etag in wanted or "*" in wanted):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return None


class ConditionalMixin:
    """``ETag`` on reads and writes; ``If-None-Match`` answers 304; ``If-Match`` goes to the services.

    Subclasses set ``etag_of(obj)``; their ``perform_*`` methods pass ``self.if_match`` to services,
    which compare it under the row lock.
    """

    def etag_of(self, obj) -> str:
        raise NotImplementedError

    @property
    def if_match(self):
        return parse_etags(self.request.headers.get("If-Match"))

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        etag = self.etag_of(instance)
        return not_modified(request, etag) or Response(self.get_serializer(instance).data, headers={"ETag": etag})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        written = getattr(self, "written", None)
        if written is not None and response.status_code < 300 and "ETag" not in response:
            response["ETag"] = self.etag_of(written)
        return response


class IdempotentCreateMixin:
    """``POST`` with an ``Idempotency-Key`` header: a replay gets the first answer, nothing is created twice."""

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return super().create(request, *args, **kwargs)
        if not idempotency.valid_key(key):
            raise ApiError(
                status_code=400,
                code="invalid_idempotency_key",
                message=f"Idempotency-Key must be 1 to {idempotency.MAX_KEY_LENGTH} printable ASCII characters.",
                field="Idempotency-Key",
            )
        key = key.strip()
        owner = _owner(request)
        try:
            claimed = idempotency.claim(
                owner=owner, key=key, method=request.method, path=request.path, body=request.data
            )
        except idempotency.IdempotencyMismatch:
            raise ApiError(
                status_code=422,
                code="idempotency_key_reused",
                message="This Idempotency-Key was used with a different request.",
                field="Idempotency-Key",
            ) from None
        except idempotency.IdempotencyConflict:
            raise ApiError(
                status_code=409,
                code="idempotency_in_progress",
                message="A request with this Idempotency-Key is still being processed; retry shortly.",
                field="Idempotency-Key",
            ) from None
        if claimed.replay:
            record = claimed.record
            headers = {**record.response_headers, "Idempotent-Replayed": "true"}
            return Response(record.response_body, status=record.response_status, headers=headers)
        try:
            # The create and the record of its answer commit together: a retry after any failure
            # finds either both (and gets the stored answer) or neither (and creates once).
            with transaction.atomic():
                response = super().create(request, *args, **kwargs)
                headers = {}
                if self.written is not None:
                    headers["ETag"] = self.etag_of(self.written)
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

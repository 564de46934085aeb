"""The versions endpoints: ``as_of`` reads, ``versions/``, scheduled versions and ``diff``."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response

from ladder import services, versions
from ladder.api.base import ConditionalView, LadderScopedView, not_modified
from ladder.api.spreadsheets import document_inputs
from ladder.api.versions.shapes import (
    DIFF_EXAMPLE,
    SUMMARY_EXAMPLE,
    VERSION_EXAMPLE,
    DiffSerializer,
    ScheduledDocumentInputSerializer,
    VersionDocumentSerializer,
    VersionListSerializer,
)
from ladder.exceptions import Conflict, FieldErrors, NotFound
from ladder.models import Company, Framework, Ladder, LadderVersion

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[0-9]+")
PICK = r"^([0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2})$"  # a version number or a date


# --- Helpers --------------------------------------------------------------------------------------


def parse_day(raw: str | None, name: str) -> date | None:
    if raw is None:
        return None
    if not _DATE.fullmatch(raw):
        raise exceptions.ValidationError({name: [exceptions.ErrorDetail("A date as YYYY-MM-DD.", code="invalid")]})
    try:
        return date.fromisoformat(raw)
    except ValueError:
        # Shaped like a date but no day of the calendar (2026-02-30): a rule the schema cannot state.
        raise exceptions.ValidationError(
            {name: [exceptions.ErrorDetail("Not a day of the calendar.", code="impossible_date")]}
        ) from None


def version_document(company: Company, framework: Framework, version: LadderVersion, states=None) -> dict:
    states = versions.states_of(version) if states is None else states
    return {
        "company": company.slug,
        "framework": framework.slug,
        **versions.summary(version),
        "levels": versions.document_levels(states),
    }


def version_etag(version: LadderVersion) -> str:
    if version.status == LadderVersion.Status.SCHEDULED:
        return services.scheduled_etag(version)
    return f'"ladder-{version.ladder_id}-n{version.number}-r{version.revision}"'


class _LadderScoped(LadderScopedView, generics.GenericAPIView):
    """The company (readable by the caller) and framework named in the URL, and their ladder."""

    pagination_class = None
    filter_backends: list = []

    def ladder(self, company: Company, framework: Framework) -> Ladder:
        ladder = get_object_or_404(Ladder, company=company, framework=framework, archived_at__isnull=True)
        if services.is_due(ladder.next_effective_on):
            services.apply_due_for([ladder.pk])
            ladder.refresh_from_db()
        return ladder

    def pick(self, ladder: Ladder, raw: str | None, name: str) -> LadderVersion:
        """A version named by its number or by a day (the version in effect then)."""
        if raw is None:
            raise exceptions.ValidationError(
                {name: [exceptions.ErrorDetail("A version number or a date is required.", code="required")]}
            )
        if _NUMBER.fullmatch(raw):
            number = int(raw) if len(raw) <= 10 else 2**31
            version = LadderVersion.objects.filter(ladder=ladder, number=number).first() if number < 2**31 else None
            if version is None:
                raise NotFound("version_not_found", f"No version {raw}.", name)
            return version
        day = parse_day(raw, name)
        version = versions.in_effect(ladder, day)
        if version is None:
            raise NotFound("version_not_found", "The ladder has no versions.", name)
        return version


def as_of_response(request, company: Company, framework: Framework, ladder: Ladder, day: date) -> Response:
    """``GET …/ladders/{framework}/?as_of=`` — the ladder in effect on that day."""
    version = versions.in_effect(ladder, day)
    if version is None:
        raise Http404
    etag = version_etag(version)
    return not_modified(request, etag) or Response(
        version_document(company, framework, version), headers={"ETag": etag}
    )


@contextmanager
def _conflict_if_not_scheduled():
    """A version that already took effect (or was cancelled) cannot change: 409, not a bad request."""
    try:
        yield
    except FieldErrors as err:
        first = err.errors[0] if err.errors else {}
        if first.get("code") == "not_scheduled":
            raise Conflict("not_scheduled", first["message"]) from None
        raise


# --- Views ----------------------------------------------------------------------------------------


@extend_schema(tags=["ladders"])
class LadderVersionListView(_LadderScoped):
    @extend_schema(
        operation_id="v1_companies_ladders_versions_list",
        summary="List a ladder's versions",
        description=(
            "Every version of the ladder, oldest first: applied ones (each accepted change), scheduled ones "
            "(a PUT with a future `effective_from`), cancelled and failed ones. `number` names a version in "
            "`versions/{number}/` and `diff`."
        ),
        responses={200: VersionListSerializer},
        examples=[
            OpenApiExample(
                "Versions",
                value={"company": "globex", "framework": "product-management", "results": [SUMMARY_EXAMPLE]},
                response_only=True,
            )
        ],
    )
    def get(self, request, slug: str, framework: str):
        company, fw = self.url_company(), self.url_framework()
        ladder = self.ladder(company, fw)
        rows = LadderVersion.objects.filter(ladder=ladder).order_by("number")
        return Response({"company": company.slug, "framework": fw.slug, "results": [versions.summary(v) for v in rows]})


@extend_schema(tags=["ladders"])
class LadderVersionDetailView(ConditionalView, _LadderScoped):
    serializer_class = ScheduledDocumentInputSerializer

    def _version(self, ladder: Ladder, number: int) -> LadderVersion:
        version = LadderVersion.objects.filter(ladder=ladder, number=number).first() if number < 2**31 else None
        if version is None:
            raise NotFound("version_not_found", f"No version {number}.")
        return version

    @extend_schema(
        summary="Get one version of a ladder",
        description="The whole ladder as it was (or, scheduled, will be) in this version, in the ladder document's "
        "shape, with who made it and when. `ETag` (a scheduled version's is the one `If-Match` takes).",
        responses={200: VersionDocumentSerializer},
        examples=[OpenApiExample("A scheduled version", value=VERSION_EXAMPLE, response_only=True)],
    )
    def get(self, request, slug: str, framework: str, number: int):
        company, fw = self.url_company(), self.url_framework()
        version = self._version(self.ladder(company, fw), number)
        return self.conditional_response(version_document(company, fw, version), version_etag(version))

    @extend_schema(
        summary="Replace a scheduled version",
        description="A new ladder document for a version that has not taken effect yet; `effective_from` (body "
        "or query) moves it to another future day. `If-Match` takes the version's ETag. Validated against the "
        "ladder as it stands, like a PUT of the ladder.",
        request=ScheduledDocumentInputSerializer,
        parameters=[OpenApiParameter("effective_from", OpenApiTypes.DATE, description="Move it to this day.")],
        responses={200: VersionDocumentSerializer},
        examples=[OpenApiExample("A scheduled version", value=VERSION_EXAMPLE, response_only=True)],
    )
    def put(self, request, slug: str, framework: str, number: int):
        company, fw = self.url_company(), self.url_framework()
        self.require_write(company)
        ladder = self.ladder(company, fw)
        current = self._version(ladder, number)
        levels, body_day = document_inputs(request, fw)
        day = parse_day(request.query_params.get("effective_from"), "effective_from") or body_day
        with _conflict_if_not_scheduled():
            version = services.schedule_document(
                company=company,
                framework=fw,
                levels=levels,
                effective_from=day or current.effective_from,
                if_match=self.if_match,
                replacing=number,
            )
        return Response(version_document(company, fw, version), headers={"ETag": version_etag(version)})

    @extend_schema(
        summary="Cancel a scheduled version",
        description="A scheduled version that has not taken effect is cancelled (kept in `versions/` as "
        "`cancelled`). `If-Match` takes the version's ETag.",
        responses={200: VersionDocumentSerializer},
    )
    def delete(self, request, slug: str, framework: str, number: int):
        company, fw = self.url_company(), self.url_framework()
        self.require_write(company)
        self._version(self.ladder(company, fw), number)
        with _conflict_if_not_scheduled():
            version = services.cancel_scheduled(company=company, framework=fw, number=number, if_match=self.if_match)
        return Response(version_document(company, fw, version, states=[]))


@extend_schema(tags=["ladders"])
class LadderDiffView(_LadderScoped):
    @extend_schema(
        summary="Differences between two versions",
        description=(
            "Levels and aliases added, removed and changed between two versions, field by field. `from` and "
            "`to` are each a version number or a date (`YYYY-MM-DD`, the version in effect that day). Levels "
            "are never deleted, so a retired level shows as `is_active` changing to false."
        ),
        parameters=[
            OpenApiParameter(
                "from",
                str,
                required=True,
                description="A version number or a date.",
                pattern=r"^[0-9]+$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            ),
            OpenApiParameter(
                "to",
                str,
                required=True,
                description="A version number or a date.",
                pattern=r"^[0-9]+$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            ),
        ],
        responses={200: DiffSerializer},
        examples=[OpenApiExample("One level moved, one alias added", value=DIFF_EXAMPLE, response_only=True)],
    )
    def get(self, request, slug: str, framework: str):
        company, fw = self.url_company(), self.url_framework()
        ladder = self.ladder(company, fw)
        old = self.pick(ladder, request.query_params.get("from"), "from")
        new = self.pick(ladder, request.query_params.get("to"), "to")
        states = versions.states_for_versions([old, new])
        return Response(
            {
                "company": company.slug,
                "framework": fw.slug,
                "from": versions.summary(old),
                "to": versions.summary(new),
                **versions.diff_states(states[old.pk], states[new.pk]),
            }
        )

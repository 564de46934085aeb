"""The ladder page's spreadsheet export and import (upload, preview of the diff, confirm) in the admin.

The same code as the API: ``ladder.spreadsheet`` reads and writes the files, ``services.dry_run``
previews, ``services.ladder_document_put`` writes (with the history, a version and webhook events).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from rest_framework.exceptions import ValidationError

from ladder import selectors, services, spreadsheet
from ladder.admin.versions import diff_html
from ladder.documents_io import LadderDocumentSerializer, read_document
from ladder.exceptions import FieldErrors, PreconditionFailed
from ladder.serializer_fields import flatten_errors

MAX_UPLOAD = 4 * 1024 * 1024


def links(ladder) -> str:
    if ladder.pk is None:
        return ""
    return format_html(
        '<a href="{}">Export CSV</a> · <a href="{}">Export XLSX</a> · <a href="{}">Import a spreadsheet…</a>',
        reverse("admin:ladder_ladder_export", args=[ladder.pk, "csv"]),
        reverse("admin:ladder_ladder_export", args=[ladder.pk, "xlsx"]),
        reverse("admin:ladder_ladder_import", args=[ladder.pk]),
    )


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:pk>/export/<str:fmt>/",
            wrap(lambda r, pk, fmt: export(model_admin, r, pk, fmt)),
            name="ladder_ladder_export",
        ),
        path("<int:pk>/import/", wrap(lambda r, pk: import_view(model_admin, r, pk)), name="ladder_ladder_import"),
    ]


def _document(ladder) -> dict:
    return LadderDocumentSerializer(selectors.ladder_documents().get(pk=ladder.pk)).data


def export(model_admin, request, pk: int, fmt: str) -> HttpResponse:
    ladder = get_object_or_404(model_admin.get_queryset(request), pk=pk, archived_at__isnull=True)
    if not model_admin.has_view_permission(request, ladder) or fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    document = _document(ladder)
    if fmt == "csv":
        response = HttpResponse(spreadsheet.to_csv(document, bom=True), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(spreadsheet.to_xlsx(document), content_type=spreadsheet.XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{document["company"]}-{document["framework"]}.{fmt}"'
    return response


def _levels(document: dict, framework):
    try:
        return read_document(document, framework).to_level_inputs()
    except ValidationError as exc:
        raise FieldErrors(spreadsheet.name_rows(flatten_errors(exc.detail))) from None


def import_view(model_admin, request, pk: int):
    ladder = get_object_or_404(
        model_admin.get_queryset(request).select_related("company", "framework"), pk=pk, archived_at__isnull=True
    )
    if not model_admin.has_change_permission(request, ladder):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "ladder": ladder, "title": "Import a spreadsheet"}
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                document = json.loads(request.POST.get("document") or "{}")
                levels = _levels(document, ladder.framework)
                written = services.ladder_document_put(
                    company=ladder.company, framework=ladder.framework, levels=levels
                )
                model_admin.message_user(
                    request,
                    "Imported: the ladder changed." if written.changed else "Nothing to import: no changes.",
                    messages.SUCCESS if written.changed else messages.INFO,
                )
                return HttpResponseRedirect(reverse("admin:ladder_ladder_change", args=[ladder.pk]))
            upload = request.FILES.get("file")
            if upload is None or upload.size > MAX_UPLOAD:
                raise FieldErrors(
                    [{"code": "file", "message": "Choose a CSV or XLSX file (at most 4 MB).", "field": None}]
                )
            raw = upload.read()
            try:
                rows = spreadsheet.read_xlsx(raw) if raw[:2] == b"PK" else spreadsheet.read_csv(raw)
                document = spreadsheet.rows_to_document(rows)
            except spreadsheet.SheetError as err:
                raise FieldErrors(err.errors) from None
            preview = services.dry_run(
                company=ladder.company, framework=ladder.framework, levels=_levels(document, ladder.framework)
            )
            context.update(preview=preview, diff_html=diff_html(preview["diff"]), document_json=json.dumps(document))
        except (FieldErrors, PreconditionFailed, json.JSONDecodeError) as exc:
            context["errors"] = getattr(exc, "errors", None) or [{"message": "The import could not be read."}]
    return TemplateResponse(request, "admin/ladder/ladder_import.html", context)

"""Ladder documents as CSV and XLSX over HTTP (``ladder.spreadsheet``): parsers, renderers, and the
document of a request body, whether JSON, CSV or XLSX."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from ladder import spreadsheet
from ladder.documents_io import read_document
from ladder.exceptions import FieldErrors
from ladder.serializer_fields import flatten_errors
from ladder.translation.api.csv import wants_excel

SHEET_KEY = "__sheet__"


class _SheetParser(BaseParser):
    kind = ""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        return {SHEET_KEY: raw, "kind": self.kind}


class SheetCSVParser(_SheetParser):
    media_type = "text/csv"
    kind = "csv"


class SheetXLSXParser(_SheetParser):
    media_type = spreadsheet.XLSX_MEDIA_TYPE
    kind = "xlsx"


def _filename(data: dict, ext: str) -> str:
    return f"{data.get('company', 'ladder')}-{data.get('framework', '')}.{ext}".replace('"', "")


class LadderCSVRenderer(BaseRenderer):
    """A ladder document as CSV (``?format=csv`` or ``Accept: text/csv``); ``?excel=1`` adds a BOM."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not data or "levels" not in data:
            return b""
        context = renderer_context or {}
        request = context.get("request")
        bom = wants_excel(request, accepted_media_type)
        response = context.get("response")
        if response is not None:
            response["Content-Disposition"] = f'attachment; filename="{_filename(data, "csv")}"'
        return spreadsheet.to_csv(data, bom=bom)


class LadderXLSXRenderer(BaseRenderer):
    """A ladder document as an Excel workbook (``?format=xlsx``)."""

    media_type = spreadsheet.XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not data or "levels" not in data:
            return b""
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
        return spreadsheet.to_xlsx(data)


def is_sheet(data) -> bool:
    return isinstance(data, dict) and SHEET_KEY in data


def sheet_document(data: dict) -> dict:
    """The JSON document a CSV or XLSX body stands for; errors name the row and column."""
    raw = data[SHEET_KEY]
    try:
        rows = spreadsheet.read_xlsx(raw) if data["kind"] == "xlsx" else spreadsheet.read_csv(raw)
        return spreadsheet.rows_to_document(rows)
    except spreadsheet.SheetError as err:
        raise FieldErrors(err.errors) from None


def with_rows(call):
    """Run ``call()``; validation errors about ``levels[i]`` come back naming the sheet's row and column."""
    try:
        return call()
    except exceptions.ValidationError as exc:
        raise FieldErrors(spreadsheet.name_rows(flatten_errors(exc.detail))) from None
    except FieldErrors as exc:
        raise FieldErrors(spreadsheet.name_rows(exc.errors)) from None


def with_rows_if(sheet: bool, call):
    """``call()``; for a spreadsheet body, its errors name the row and column."""
    return with_rows(call) if sheet else call()


def document_inputs(request, framework):
    """A ladder document from the request body (JSON, CSV or XLSX): its levels and ``effective_from``."""
    data = request.data
    sheet = is_sheet(data)
    if sheet:
        data = sheet_document(data)
    serializer = with_rows_if(sheet, lambda: read_document(data, framework))
    return serializer.to_level_inputs(), serializer.validated_data.get("effective_from")

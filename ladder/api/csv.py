"""CSV in and out for the translate endpoint, for HR people who live in spreadsheets.

In: a header row with a title column ("title", "Title", "Job Title", or any named by ``?title_column=``)
and optionally a code column (``?code_column=``); ``,``, ``;`` and tab separators are recognised; every
other column is carried through untouched. Out: the input columns, then the translation columns
appended (with the alternatives' codes), and a UTF-8 BOM for Excel when asked (``?excel=1``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

TRANSLATION_COLUMNS = [
    "source_level_id",
    "source_title",
    "source_code",
    "resolution_basis",
    "target_level_id",
    "target_title",
    "target_code",
    "target_track",
    "confidence",
    "basis",
    "alternatives",
    "error_code",
    "error_detail",
    "suggestions",
    "alternative_codes",
]


UNDERSTANDING_COLUMNS = [
    "family",
    "seniority",
    "track",
    "scale_from",
    "scale_to",
    "reference_level",
    "reference_name",
    "confidence",
    "basis",
    "alternatives",
    "ignored",
    "error_code",
    "error_detail",
]


class CSVParser(BaseParser):
    """Parses ``text/csv`` into ``{"columns": [...], "rows": [{column: value}, ...]}``."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None) -> dict[str, Any]:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError("CSV must be UTF-8 encoded.") from exc
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
            rows = list(reader)
        except csv.Error as exc:
            raise exceptions.ParseError(f"Malformed CSV: {exc}") from exc
        if not rows:
            raise exceptions.ParseError("The CSV is empty: a header row with a 'title' column is needed.")
        header = [h.strip() for h in rows[0]]
        if len(set(header)) != len(header):
            raise exceptions.ParseError("The CSV header repeats a column name.")
        records = []
        for line in rows[1:]:
            if not any(cell.strip() for cell in line):
                continue  # blank lines, common at the end of exported files
            padded = line + [""] * (len(header) - len(line))
            records.append(dict(zip(header, padded[: len(header)], strict=True)))
        return {"columns": header, "rows": records}


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: whichever separates the header row most (spreadsheets in many locales
    export ``;``, and copies from a spreadsheet are tab-separated). Quoted text is not counted."""
    header = text.split("\n", 1)[0]
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def wants_excel(request, accepted_media_type: str | None) -> bool:
    """``?excel=1``, or ``Accept: text/csv; excel=1``: start the CSV with a BOM so Excel reads UTF-8."""
    if request is not None and request.query_params.get("excel") in ("1", "true"):
        return True
    return "excel=1" in (accepted_media_type or "").replace(" ", "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    # A leading =, +, - or @ would be run as a formula by spreadsheet programs.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def translation_row(result: dict[str, Any]) -> list[str]:
    """The appended columns for one translation result."""
    source = result.get("source_level") or {}
    target = result.get("target_level") or {}
    resolution = result.get("resolution") or {}
    error = result.get("error") or {}
    alternatives = "; ".join(f"{a['level']['title']} ({a['confidence']:g})" for a in result.get("alternatives", []))
    return [
        _cell(source.get("id")),
        _cell(source.get("title")),
        _cell(source.get("code")),
        _cell(resolution.get("basis")),
        _cell(target.get("id")),
        _cell(target.get("title")),
        _cell(target.get("code")),
        _cell(target.get("track")),
        _cell(result.get("confidence")) if not error else "",
        _cell(result.get("basis")),
        _cell(alternatives),
        _cell(error.get("code")),
        _cell(error.get("detail")),
        _cell("; ".join(error.get("suggestions", []))),
        _cell("; ".join(a["level"].get("code") or "" for a in result.get("alternatives", []))),
    ]


def understanding_row(result: dict[str, Any]) -> list[str]:
    """The appended columns for one ``/titles/understand`` result."""
    parse = result.get("understanding") or {}
    ref = result.get("reference_level") or {}
    error = result.get("error") or {}
    span = parse.get("span") or [None, None]
    alternatives = "; ".join(
        f"{a['reference_level']['slug']} ({a['confidence']:g})"
        for a in result.get("alternatives", [])
        if a["reference_level"]
    )
    return [
        _cell(parse.get("family")),
        _cell("; ".join(parse.get("seniority", []))),
        _cell(parse.get("track")),
        _cell(span[0]),
        _cell(span[1]),
        _cell(ref.get("slug")),
        _cell(ref.get("name")),
        _cell(result.get("confidence")) if not error else "",
        _cell(result.get("basis")),
        _cell(alternatives),
        _cell("; ".join(parse.get("ignored", []))),
        _cell(error.get("code")),
        _cell(error.get("detail")),
    ]


class CSVRenderer(BaseRenderer):
    """Renders ``{"columns": [...], "rows": [[...], ...]}`` as CSV (``Accept: text/csv`` or ``?format=csv``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(data["columns"])
        writer.writerows(data["rows"])
        request = (renderer_context or {}).get("request")
        bom = "\ufeff" if wants_excel(request, accepted_media_type) else ""
        return (bom + out.getvalue()).encode("utf-8")

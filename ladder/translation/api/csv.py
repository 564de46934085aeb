"""CSV in and out for the translate and understand endpoints, for HR people who live in spreadsheets.

In: a header row with a title column ("title", "Title", "Job Title", or any named by ``?title_column=``)
and optionally a code column (``?code_column=``); ``,``, ``;`` and tab separators are recognised; every
other column is carried through untouched. Out: the input columns, then the translation (or
understanding) columns appended, and a UTF-8 BOM for Excel when asked (``?excel=1``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from ladder.exceptions import ValidationFailed
from ladder.spreadsheet import neutralise

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
            if not any(text.strip() for text in line):
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


def cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet program runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return neutralise(str(value))


def translation_row(result: dict[str, Any]) -> list[str]:
    """The appended columns for one translation result."""
    source = result.get("source_level") or {}
    target = result.get("target_level") or {}
    resolution = result.get("resolution") or {}
    error = result.get("error") or {}
    alternatives = "; ".join(f"{a['level']['title']} ({a['confidence']:g})" for a in result.get("alternatives", []))
    return [
        cell(source.get("id")),
        cell(source.get("title")),
        cell(source.get("code")),
        cell(resolution.get("basis")),
        cell(target.get("id")),
        cell(target.get("title")),
        cell(target.get("code")),
        cell(target.get("track")),
        cell(result.get("confidence")) if not error else "",
        cell(result.get("basis")),
        cell(alternatives),
        cell(error.get("code")),
        cell(error.get("detail")),
        cell("; ".join(error.get("suggestions", []))),
        cell("; ".join(a["level"].get("code") or "" for a in result.get("alternatives", []))),
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
        cell(parse.get("family")),
        cell("; ".join(parse.get("seniority", []))),
        cell(parse.get("track")),
        cell(span[0]),
        cell(span[1]),
        cell(ref.get("slug")),
        cell(ref.get("name")),
        cell(result.get("confidence")) if not error else "",
        cell(result.get("basis")),
        cell(alternatives),
        cell("; ".join(parse.get("ignored", []))),
        cell(error.get("code")),
        cell(error.get("detail")),
    ]


# --- Batches from a CSV body and back -------------------------------------------------------------

EMPTY = "The CSV is empty: a header row with a 'title' column is needed."
TITLE_COLUMNS = ("title", "job title", "job_title", "jobtitle")
CODE_COLUMNS = ("code", "level code", "level_code")


def table_of(data: Any) -> dict[str, Any]:
    """The parsed CSV body (``CSVParser``'s shape)."""
    if not isinstance(data, dict) or "columns" not in data:  # DRF does not parse an empty body
        raise exceptions.ParseError(EMPTY)
    return data


def find_column(columns: list[str], named: str | None, defaults: tuple[str, ...], param: str) -> str | None:
    """The CSV column for titles (required) or codes: named by the query, else a usual name, any case."""
    by_name = {c.strip().casefold(): c for c in columns}
    if named is not None:
        found = by_name.get(named.strip().casefold())
        if found is None:
            raise ValidationFailed(
                "missing_column",
                f'The CSV has no column "{named}"; the columns found are: {", ".join(columns) or "none"}.',
                param,
            )
        return found
    found = next((by_name[name] for name in defaults if name in by_name), None)
    if found is None and param == "title_column":
        raise ValidationFailed(
            "missing_column",
            'The CSV needs a title column ("title" or "job title", or name it with ?title_column=); the '
            f"columns found are: {', '.join(columns) or 'none'}.",
            "title",
        )
    return found


def items_of(table: dict[str, Any], title_column: str, code_column: str | None) -> list[Any]:
    """The batch items of a CSV body: a row's title, or ``{title, code}`` when it has a code."""
    return [
        {"title": row[title_column], "code": row[code_column]}
        if code_column and row.get(code_column)
        else row[title_column]
        for row in table["rows"]
    ]


def answer_table(
    items: list[Any],
    results: list[dict[str, Any]],
    passthrough: dict[str, Any] | None,
    columns: list[str],
    row_of: Callable[[dict[str, Any]], list[str]],
) -> dict[str, Any]:
    """The CSV answer: the input columns (a CSV body's own, else title and code), then ``columns``."""
    if passthrough is not None:
        given = passthrough["columns"]
        rows = [[row.get(c, "") for c in given] for row in passthrough["rows"]]
    else:
        given = ["title", "code"]
        rows = [[it["title"], it.get("code") or ""] if isinstance(it, dict) else [it, ""] for it in items]
    return {
        "columns": [*given, *columns],
        "rows": [row + row_of(result) for row, result in zip(rows, results, strict=True)],
    }


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

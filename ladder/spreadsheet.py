"""A ladder as a spreadsheet: one row per level, aliases in one column (CSV and XLSX, both ways).

Columns (the order of an export; an import may order them freely, names are case-insensitive):

``id, title, code, track, rank, reference_level, anchor, scale_from, scale_to, external_id,
is_active, description, aliases``

``id`` and ``anchor`` are read-only and ignored on import, like in the JSON document. ``aliases`` lists
a level's aliases separated by `` | ``; an alias with validity dates or an external id carries them in
braces: ``Lead PM {..2024-01-01}``, ``Old title {2020-01-01..2022-01-01 #JP-7}``.

Cells that a spreadsheet program would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are neutralised on export: in CSV with a leading apostrophe, which
an import removes again; in XLSX by storing the cell as text.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from ladder.level_fields import DOCUMENT_LEVEL_FIELDS

COLUMNS = [*DOCUMENT_LEVEL_FIELDS, "aliases"]
READ_ONLY = {"id", "anchor"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1000
_ALIAS = re.compile(r"^(?P<title>.*?)\s*\{(?P<meta>[^{}]*)\}\s*$")
_WINDOW = re.compile(r"^(?P<from>[0-9]{4}-[0-9]{2}-[0-9]{2})?\.\.(?P<to>[0-9]{4}-[0-9]{2}-[0-9]{2})?$")


class SheetError(Exception):
    """Problems of the sheet itself or of its cells: ``errors`` name the row and column."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"{len(errors)} spreadsheet error(s)")
        self.errors = errors


def _error(row: int | None, column: str | None, code: str, message: str, index: int | None = None) -> dict:
    where = f"Row {row}, column {column}: " if row and column else (f"Row {row}: " if row else "")
    field = f"levels[{index}].{column}" if index is not None and column else (column or None)
    return {"code": code, "message": where + message, "field": field}


# --- Out ------------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A CSV cell that no spreadsheet program runs as a formula."""
    return "'" + text if text[:1] in FORMULA_START else text


def _alias_text(alias: dict[str, Any]) -> str:
    meta = []
    if alias.get("valid_from") or alias.get("valid_to"):
        meta.append(f"{alias.get('valid_from') or ''}..{alias.get('valid_to') or ''}")
    if alias.get("external_id"):
        meta.append(f"#{alias['external_id']}")
    return f"{alias['title']} {{{' '.join(meta)}}}" if meta else alias["title"]


def document_rows(document: dict[str, Any]) -> list[list[Any]]:
    """The ladder document's levels as rows of plain values (in ``COLUMNS`` order)."""
    rows = []
    for level in document["levels"]:
        values = {**level, "aliases": " | ".join(_alias_text(a) for a in level["aliases"])}
        rows.append([values.get(name) for name in COLUMNS])
    return rows


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return neutralise(str(value))


def to_csv(document: dict[str, Any], *, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_cell(v) for v in row] for row in document_rows(document))
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def to_xlsx(document: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "ladder"[:31]
    sheet.append(COLUMNS)
    for row in document_rows(document):
        sheet.append([None if v is None else v for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] in FORMULA_START):
                cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- In -------------------------------------------------------------------------------------------


def read_csv(raw: bytes) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError([_error(None, None, "not_utf8", "The CSV must be UTF-8 encoded.")]) from None
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        return [[_un_neutralise(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise SheetError([_error(None, None, "malformed_csv", f"Malformed CSV: {exc}")]) from None


def _un_neutralise(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START and cell[1:2] else cell


def read_xlsx(raw: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not XLSX
        raise SheetError([_error(None, None, "not_xlsx", "Not a readable XLSX file.")]) from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        return []
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS + 1:
            break
        rows.append(list(row))
    book.close()
    return rows


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value: Any, row: int, column: str, index: int, errors: list, *, whole: bool) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors.append(_error(row, column, "invalid", "A number is required.", index))
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(_error(row, column, "invalid", f'"{value}" is not a number.', index))
        return None
    if whole:
        if not number.is_integer():
            errors.append(_error(row, column, "invalid", f'"{value}" is not a whole number.', index))
            return None
        return int(number)
    return number


def _boolean(value: Any, row: int, column: str, index: int, errors: list) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n"):
        return False
    errors.append(_error(row, column, "invalid", f'"{value}" is not true or false.', index))
    return True


def _aliases(value: Any, row: int, index: int, errors: list) -> list[dict[str, Any]]:
    text = _text(value)
    if not text:
        return []
    out = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        alias: dict[str, Any] = {"title": part}
        match = _ALIAS.match(part)
        if match:
            alias["title"] = match["title"]
            for token in match["meta"].split():
                window = _WINDOW.match(token)
                if window:
                    try:
                        alias["valid_from"] = date.fromisoformat(window["from"]).isoformat() if window["from"] else None
                        alias["valid_to"] = date.fromisoformat(window["to"]).isoformat() if window["to"] else None
                    except ValueError:
                        errors.append(_error(row, "aliases", "invalid", f'"{token}" is not a date range.', index))
                elif token.startswith("#") and len(token) > 1:
                    alias["external_id"] = token[1:]
                else:
                    errors.append(
                        _error(
                            row,
                            "aliases",
                            "invalid",
                            f'"{token}" in "{part}": write dates as {{from..to}} and an id as {{#id}}.',
                            index,
                        )
                    )
        out.append(alias)
    return out


def rows_to_document(rows: list[list[Any]]) -> dict[str, Any]:
    """A ladder document (the JSON PUT body) from a sheet's rows; ``SheetError`` names row and column."""
    rows = [r for r in rows if any(_text(c) for c in r)]
    if not rows:
        raise SheetError([_error(None, None, "empty", "The sheet is empty: a header row with a title column.")])
    header = [(_text(c) or "").casefold().replace(" ", "_") for c in rows[0]]
    found = ", ".join(h for h in header if h) or "none"
    if "title" not in header:
        raise SheetError(
            [_error(1, None, "missing_column", f"A title column is needed; the columns found are: {found}.")]
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise SheetError(
            [
                _error(
                    1,
                    None,
                    "unknown_column",
                    f"Unknown column(s): {', '.join(unknown)}; the columns are: {', '.join(COLUMNS)}.",
                )
            ]
        )
    if len(rows) - 1 > MAX_ROWS:
        raise SheetError([_error(None, None, "too_many_rows", f"A ladder sheet holds at most {MAX_ROWS} levels.")])
    errors: list[dict] = []
    levels = []
    for index, raw in enumerate(rows[1:]):
        row = index + 2
        cells = dict(zip(header, list(raw) + [None] * (len(header) - len(raw)), strict=False))
        level: dict[str, Any] = {"title": _text(cells.get("title")) or ""}
        for name in ("code", "track", "reference_level", "external_id"):
            if name in cells:
                level[name] = _text(cells[name])
        if "track" in level and level["track"] is None:
            del level["track"]
        if "description" in cells:
            level["description"] = _text(cells["description"]) or ""
        if "rank" in cells:
            level["rank"] = _number(cells["rank"], row, "rank", index, errors, whole=True)
        for name in ("scale_from", "scale_to"):
            if name in cells:
                level[name] = _number(cells[name], row, name, index, errors, whole=False)
        if "is_active" in cells:
            level["is_active"] = _boolean(cells["is_active"], row, "is_active", index, errors)
        if "aliases" in cells:
            level["aliases"] = _aliases(cells["aliases"], row, index, errors)
        levels.append(level)
    if errors:
        raise SheetError(errors)
    return {"levels": levels}


_LEVEL_PATH = re.compile(r"^levels\[(?P<index>[0-9]+)\](?:\.(?P<column>[a-z_]+))?")


def name_rows(errors: list[dict]) -> list[dict]:
    """Errors about ``levels[i].column`` of a sheet, with the sheet's row and column in the message."""
    out = []
    for error in errors:
        match = _LEVEL_PATH.match(error.get("field") or "")
        if match and not error["message"].startswith("Row "):
            row = int(match["index"]) + 2
            where = f"Row {row}, column {match['column']}: " if match["column"] else f"Row {row}: "
            error = {**error, "message": where + error["message"]}
        out.append(error)
    return out

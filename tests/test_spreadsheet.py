"""Ladders as CSV and XLSX: export, import, round trips, dry runs and per-row errors."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from ladder import spreadsheet
from ladder.models import Ladder
from tests.spreadsheets import DOC, URL, snapshot

XLSX = spreadsheet.XLSX_MEDIA_TYPE


@pytest.fixture
def ladder(write_client, company, framework):
    assert write_client.put(URL, DOC, format="json").status_code == 201
    return Ladder.objects.get()


def put_sheet(client, body: bytes, content_type: str, query: str = ""):
    return client.generic("PUT", URL + query, body, content_type=content_type)


def test_csv_export_has_one_row_per_level_with_aliases_in_one_column(write_client, ladder):
    response = write_client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == spreadsheet.COLUMNS
    assert [r[1] for r in rows[1:]][:3] == ["Product Manager", "Senior Product Manager", "Head of Product"]
    senior = dict(zip(rows[0], rows[2], strict=True))
    assert senior["aliases"] == (
        "Lead PM {..2024-01-01} | Produktmanager Senior {2020-01-01..2022-01-01 #A-9} | Sr. PM"
    )
    assert senior["scale_from"] == "2.5" and senior["is_active"] == "true"
    # A cell a spreadsheet would run as a formula is neutralised.
    assert rows[4][1] == '\'=HYPERLINK("http://evil","x")'
    by_accept = write_client.get(URL, HTTP_ACCEPT="text/csv")
    assert by_accept.content == response.content
    excel = write_client.get(URL, {"format": "csv", "excel": "1"})
    assert excel.content.startswith("\ufeff".encode()) and excel.content[3:] == response.content


def test_xlsx_export_stores_formula_like_text_as_text(write_client, ladder):
    response = write_client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == spreadsheet.COLUMNS
    assert rows[1][1] == "Product Manager" and rows[1][4] == 1 and rows[1][10] is True
    formula_cell = sheet.cell(row=5, column=2)
    assert formula_cell.value.startswith("=HYPERLINK") and formula_cell.data_type == "s"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_put_back_changes_nothing_and_keeps_the_version(write_client, ladder, kind):
    before = snapshot()
    exported = write_client.get(URL, {"format": kind})
    etag = write_client.get(URL)["ETag"]
    response = put_sheet(write_client, exported.content, "text/csv" if kind == "csv" else XLSX)
    assert response.status_code == 200, response.content
    assert response["ETag"] == etag
    assert snapshot() == before


def test_a_spreadsheet_put_changes_the_ladder(write_client, ladder):
    text = write_client.get(URL, {"format": "csv"}).content.decode()
    text = text.replace("Head of Product", "VP Product").replace("| Sr. PM", "| Sr. PM | Senior PM II")
    response = put_sheet(write_client, text.encode(), "text/csv")
    assert response.status_code == 200, response.content
    titles = {lv["title"]: lv for lv in response.json()["levels"]}
    assert "VP Product" in titles
    assert {a["title"] for a in titles["Senior Product Manager"]["aliases"]} >= {"Sr. PM", "Senior PM II"}


def test_semicolon_csv_without_optional_columns(write_client, company, framework):
    body = b"Title;Code;Reference level;Aliases\r\nProduct Manager;L4;pm;PM | Product Owner\r\n"
    response = put_sheet(write_client, body, "text/csv")
    assert response.status_code == 201, response.content
    level = response.json()["levels"][0]
    assert (level["title"], level["code"], level["reference_level"]) == ("Product Manager", "L4", "pm")
    assert {a["title"] for a in level["aliases"]} == {"PM", "Product Owner"}


def test_per_row_errors_name_the_row_and_the_column(write_client, ladder):
    before = snapshot()
    body = (
        b"title,code,rank,reference_level,is_active,aliases\r\n"
        b"Product Manager,L4,1,pm,true,PM\r\n"
        b"Senior Product Manager,L5,two,senior-pm,maybe,Sr. PM {soon}\r\n"
    )
    response = put_sheet(write_client, body, "text/csv")
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(m.startswith("Row 3, column rank:") for m in messages), messages
    assert any(m.startswith("Row 3, column is_active:") for m in messages), messages
    assert any(m.startswith("Row 3, column aliases:") for m in messages), messages
    # Errors found when the rows are validated as levels name the row too.
    body = b"title,code,reference_level\r\nProduct Manager,L4,pm\r\nAnother,L4,nope\r\n"
    response = put_sheet(write_client, body, "text/csv")
    assert response.status_code == 400
    errors = {(e["field"], e["message"].split(":")[0]) for e in response.json()["errors"]}
    assert ("levels[1].reference_level", "Row 3, column reference_level") in errors
    assert snapshot() == before


def test_sheet_level_errors_name_the_columns_found(write_client, ladder):
    response = put_sheet(write_client, b"name,grade\r\nPM,L4\r\n", "text/csv")
    assert response.status_code == 400
    assert "the columns found are: name, grade" in response.json()["errors"][0]["message"]
    response = put_sheet(write_client, b"not a workbook", XLSX)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "not_xlsx"
    response = put_sheet(write_client, b"\xff\xfe", "text/csv")
    assert response.status_code == 400


def test_xlsx_import_with_numbers_and_booleans(write_client, company, framework):
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Code", "Rank", "Reference_level", "Is_active", "Scale_from", "Scale_to"])
    sheet.append(["Product Manager", "L4", 1, "pm", True, None, None])
    sheet.append(["Head of Product", None, 2, None, True, 3.5, 6])
    out = io.BytesIO()
    book.save(out)
    response = put_sheet(write_client, out.getvalue(), XLSX)
    assert response.status_code == 201, response.content
    head = response.json()["levels"][1]
    assert (head["scale_from"], head["scale_to"]) == (3.5, 6.0)


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_dry_run_returns_the_diff_and_writes_nothing(write_client, ladder, kind):
    before = snapshot()
    changed = {"levels": [dict(lv) for lv in DOC["levels"]]}
    changed["levels"][0] = {**changed["levels"][0], "title": "Product Manager II", "aliases": ["PM", "PM2"]}
    if kind == "json":
        response = write_client.put(URL + "?dry_run=1", changed, format="json")
    else:
        text = write_client.get(URL, {"format": "csv"}).content.decode()
        text = text.replace("Product Manager,L4", "Product Manager II,L4").replace(",PM\r\n", ",PM | PM2\r\n")
        response = put_sheet(write_client, text.encode(), "text/csv", "?dry_run=1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["changed"] is True and body["created"] is False
    changes = body["diff"]["levels"]["changed"]
    assert changes[0]["changes"] == [{"field": "title", "from": "Product Manager", "to": "Product Manager II"}]
    assert [a["title"] for a in body["diff"]["aliases"]["added"]] == ["PM2"]
    assert snapshot() == before
    same = write_client.put(URL + "?dry_run=1", DOC, format="json").json()
    assert same["changed"] is False
    assert same["diff"]["levels"] == {"added": [], "removed": [], "changed": []}
    bad = write_client.put(URL + "?dry_run=1", {"levels": [{"title": ""}]}, format="json")
    assert bad.status_code == 400
    assert snapshot() == before


# --- Translate's CSV, as people really have it ------------------------------------------------------


# --- The sheet as plain data (ladder.spreadsheet) ----------------------------------------------------


def test_a_document_survives_csv_and_xlsx_as_plain_data():
    document = {
        "levels": [
            {
                "id": 4,
                "title": "=Senior PM",
                "code": "L5",
                "track": "ic",
                "rank": 2,
                "reference_level": "senior-pm",
                "anchor": "explicit",
                "scale_from": 2.5,
                "scale_to": 3.5,
                "external_id": "JP-5",
                "is_active": False,
                "description": "Owns an area",
                "aliases": [
                    {"title": "Sr. PM", "valid_from": None, "valid_to": None, "external_id": None},
                    {"title": "Lead PM", "valid_from": "2020-01-01", "valid_to": "2022-01-01", "external_id": "A-9"},
                ],
            }
        ]
    }
    expected = {
        "title": "=Senior PM",
        "code": "L5",
        "track": "ic",
        "reference_level": "senior-pm",
        "external_id": "JP-5",
        "description": "Owns an area",
        "rank": 2,
        "scale_from": 2.5,
        "scale_to": 3.5,
        "is_active": False,
        "aliases": [
            {"title": "Sr. PM"},
            {"title": "Lead PM", "valid_from": "2020-01-01", "valid_to": "2022-01-01", "external_id": "A-9"},
        ],
    }
    text = spreadsheet.to_csv(document).decode()
    assert text.splitlines()[1].startswith("4,'=Senior PM,L5,")  # neutralised for spreadsheet programs
    assert spreadsheet.rows_to_document(spreadsheet.read_csv(text.encode())) == {"levels": [expected]}
    rows = spreadsheet.read_xlsx(spreadsheet.to_xlsx(document))
    assert rows[0] == spreadsheet.COLUMNS
    assert spreadsheet.rows_to_document(rows) == {"levels": [expected]}


def test_sheet_errors_name_the_row_and_the_column():
    with pytest.raises(spreadsheet.SheetError) as caught:
        spreadsheet.rows_to_document([["title", "rank", "aliases"], ["PM", "1.5", "PM {soon}"]])
    assert [(e["field"], e["message"].split(":")[0]) for e in caught.value.errors] == [
        ("levels[0].rank", "Row 2, column rank"),
        ("levels[0].aliases", "Row 2, column aliases"),
    ]
    named = spreadsheet.name_rows([{"code": "invalid", "message": "Unknown.", "field": "levels[1].code"}])
    assert named[0]["message"] == "Row 3, column code: Unknown."

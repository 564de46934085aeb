"""Ladders as CSV and XLSX: export, import, round trips, dry runs and per-row errors."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from ladder import spreadsheet
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level

URL = "/api/v1/companies/own-co/ladders/product-management/"
XLSX = spreadsheet.XLSX_MEDIA_TYPE
DOC = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {
            "title": "Senior Product Manager",
            "code": "L5",
            "reference_level": "senior-pm",
            "external_id": "JP-5",
            "description": "Owns an area; leads, discovery, delivery",
            "aliases": [
                "Sr. PM",
                {"title": "Lead PM", "valid_to": "2024-01-01"},
                {
                    "title": "Produktmanager Senior",
                    "valid_from": "2020-01-01",
                    "valid_to": "2022-01-01",
                    "external_id": "A-9",
                },
            ],
        },
        {"title": "Head of Product", "track": "management", "scale_from": 3.5, "scale_to": 6.5},
        {"title": '=HYPERLINK("http://evil","x")', "code": "X1", "reference_level": "apm", "is_active": False},
    ]
}


@pytest.fixture
def ladder(write_client, company, framework):
    assert write_client.put(URL, DOC, format="json").status_code == 201
    return Ladder.objects.get()


def snapshot():
    return (
        Ladder.objects.values_list("version", flat=True).get(),
        LadderVersion.objects.count(),
        ChangeRecord.objects.count(),
        sorted(Level.objects.values_list("title", "code", "rank", "is_active", "description")),
    )


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

TRANSLATE = "/api/v1/translate"


@pytest.fixture
def demo_client(demo):
    from ladder.models import Organization
    from ladder.translation.cache import local_snapshots
    from tests.conftest import key_client
    from tests.factories import make_key

    local_snapshots.clear()
    return key_client(make_key(Organization.objects.get(slug="demo"))[1])


def translate_csv(client, body: str, query: str = "", **extra):
    return client.generic(
        "POST",
        f"{TRANSLATE}?source=globex&target=parallax&format=csv{query}",
        body.encode(),
        content_type="text/csv",
        **extra,
    )


@pytest.mark.parametrize("sep", [";", "\t"])
def test_translate_csv_sniffs_semicolons_and_tabs_and_finds_job_title(demo_client, sep):
    body = sep.join(["Employee", "Job Title", "Level Code"]) + "\r\n" + sep.join(["E-1", "Sr. PM", ""]) + "\r\n"
    response = translate_csv(demo_client, body)
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    col = {name: i for i, name in enumerate(rows[0])}
    assert rows[0][:3] == ["Employee", "Job Title", "Level Code"]
    assert rows[1][col["target_code"]] == "L5"
    assert "alternative_codes" in col


def test_translate_csv_named_columns_and_errors_that_name_the_columns_found(demo_client):
    body = "who,role,grade\r\nE-1,Product Manager,IC5\r\n"
    named = translate_csv(demo_client, body, "&title_column=Role&code_column=grade")
    assert named.status_code == 200, named.content
    rows = list(csv.reader(io.StringIO(named.content.decode())))
    col = {name: i for i, name in enumerate(rows[0])}
    assert rows[1][col["source_code"]] == "IC5"
    missing = translate_csv(demo_client, body)
    assert missing.status_code == 400
    assert "the columns found are: who, role, grade" in missing.json()["message"]
    wrong = translate_csv(demo_client, body, "&title_column=Position")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "title_column"
    assert "who, role, grade" in wrong.json()["message"]


def test_translate_csv_alternatives_codes_and_a_bom_for_excel(demo_client):
    body = "title\r\nHead of Product\r\nProduktmanagerin Zürich\r\n"
    plain = translate_csv(demo_client, body)
    excel = translate_csv(demo_client, body, "&excel=1")
    assert excel.content == "\ufeff".encode() + plain.content
    by_accept = translate_csv(demo_client, body, HTTP_ACCEPT="text/csv; excel=1")
    assert by_accept.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(plain.content.decode())))
    col = {name: i for i, name in enumerate(rows[0])}
    assert rows[2][0] == "Produktmanagerin Zürich"  # accents survive
    json_answer = demo_client.post(
        TRANSLATE, {"source": "globex", "target": "parallax", "titles": ["Head of Product"]}, format="json"
    ).json()["results"][0]
    expected = "; ".join(a["level"]["code"] or "" for a in json_answer["alternatives"])
    assert expected and rows[1][col["alternative_codes"]] == expected


def test_admin_export_and_import_with_preview_and_confirm(client, superuser, write_client, ladder):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(superuser)
    page = client.get(reverse("admin:ladder_ladder_change", args=[ladder.pk])).content.decode()
    assert "Import a spreadsheet" in page and "Export XLSX" in page
    exported = client.get(reverse("admin:ladder_ladder_export", args=[ladder.pk, "csv"]))
    assert exported.status_code == 200 and exported.content.startswith("\ufeff".encode())
    xlsx = client.get(reverse("admin:ladder_ladder_export", args=[ladder.pk, "xlsx"]))
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=2).value == "Product Manager"
    text = exported.content.decode("utf-8-sig").replace(",Senior Product Manager,", ",Senior PM,")
    url = reverse("admin:ladder_ladder_import", args=[ladder.pk])
    before = snapshot()
    preview = client.post(url, {"file": SimpleUploadedFile("ladder.csv", text.encode(), "text/csv")})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "<td>title</td><td>Senior Product Manager → Senior PM</td>" in body and "Confirm the import" in body
    assert snapshot() == before  # the preview wrote nothing
    document = preview.context["document_json"]
    confirmed = client.post(url, {"confirm": "1", "document": document}, follow=True)
    assert confirmed.status_code == 200 and "Imported" in confirmed.content.decode()
    assert Level.objects.get(code="L5").title == "Senior PM"
    bad = client.post(url, {"file": SimpleUploadedFile("x.csv", b"name\r\nx\r\n", "text/csv")})
    assert "the columns found are: name" in bad.content.decode()

"""Translating a CSV over HTTP: sniffed separators, named columns, errors that name what was found."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import error_of, fields_and_codes

URL = TRANSLATE = "/api/v1/translate"


def test_options_with_csv_format_is_json_not_a_500(write_client, company):
    response = write_client.options("/api/v1/translate?format=csv")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


def test_csv_translation_needs_its_query_and_a_body(write_client, company):
    body = error_of(write_client.generic("POST", "/api/v1/translate", b"title\r\nPM\r\n", content_type="text/csv"), 400)
    assert ("source", "csv_query_required") in fields_and_codes(body)
    empty = write_client.generic("POST", "/api/v1/translate?source=a&target=b", b"", content_type="text/csv")
    assert error_of(empty, 400)["code"] == "parse_error"


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

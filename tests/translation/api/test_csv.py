"""CSV in and out of the translation endpoints, without HTTP."""

from __future__ import annotations

import io

import pytest
from rest_framework import exceptions

from ladder.exceptions import ValidationFailed
from ladder.translation.api import csv


def parse(text: str) -> dict:
    return csv.CSVParser().parse(io.BytesIO(text.encode("utf-8")))


def test_separators_headers_and_blank_lines():
    assert csv.sniff_delimiter("title;code\nPM;IC4") == ";"
    assert csv.sniff_delimiter('"a,b";c;d\n') == ";"  # quoted text is not counted
    assert csv.sniff_delimiter("title\tid\n") == "\t"
    assert csv.sniff_delimiter("title\n") == ","
    table = parse("\ufeff Title ;id\nSr. PM;7\n\n;\nPM\n")
    assert table == {"columns": ["Title", "id"], "rows": [{"Title": "Sr. PM", "id": "7"}, {"Title": "PM", "id": ""}]}


@pytest.mark.parametrize("body", ["", "a,a\n1,2\n"])
def test_an_empty_csv_or_a_repeated_column_is_refused(body):
    with pytest.raises(exceptions.ParseError):
        parse(body)
    with pytest.raises(exceptions.ParseError):
        csv.table_of({})


def test_cells_never_start_a_formula():
    assert [csv.cell(v) for v in (None, 0.5, 3, "=SUM(A1)", "+1", "-x", "@x", "PM")] == [
        "",
        "0.5",
        "3",
        "'=SUM(A1)",
        "'+1",
        "'-x",
        "'@x",
        "PM",
    ]


def test_columns_are_found_by_name_in_any_case_or_refused():
    columns = ["Job Title", "Level Code", "id"]
    assert csv.find_column(columns, None, csv.TITLE_COLUMNS, "title_column") == "Job Title"
    assert csv.find_column(columns, "level code", csv.CODE_COLUMNS, "code_column") == "Level Code"
    assert csv.find_column(["title"], None, csv.CODE_COLUMNS, "code_column") is None
    with pytest.raises(ValidationFailed) as named:
        csv.find_column(columns, "role", csv.TITLE_COLUMNS, "title_column")
    assert (named.value.code, named.value.field) == ("missing_column", "title_column")
    with pytest.raises(ValidationFailed) as none:
        csv.find_column(["id"], None, csv.TITLE_COLUMNS, "title_column")
    assert (none.value.code, none.value.field) == ("missing_column", "title")


def test_rows_become_items_and_come_back_with_their_columns():
    table = {
        "columns": ["title", "code", "id"],
        "rows": [{"title": "PM", "code": "IC4", "id": "1"}, {"title": "Sr", "code": "", "id": "2"}],
    }
    items = csv.items_of(table, "title", "code")
    assert items == [{"title": "PM", "code": "IC4"}, "Sr"]
    results = [{"answer": 1}, {"answer": 2}]
    answer = csv.answer_table(items, results, table, ["answer"], lambda r: [str(r["answer"])])
    assert answer == {
        "columns": ["title", "code", "id", "answer"],
        "rows": [["PM", "IC4", "1", "1"], ["Sr", "", "2", "2"]],
    }
    plain = csv.answer_table(items, results, None, ["answer"], lambda r: [str(r["answer"])])
    assert plain["columns"] == ["title", "code", "answer"] and plain["rows"][1] == ["Sr", "", "2"]

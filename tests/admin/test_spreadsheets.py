"""Spreadsheets in the admin: export, and import with a preview before it is confirmed."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ladder.models import Ladder, Level
from tests.spreadsheets import DOC, URL, snapshot


@pytest.fixture
def ladder(write_client, company, framework):
    assert write_client.put(URL, DOC, format="json").status_code == 201
    return Ladder.objects.get()


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

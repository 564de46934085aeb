"""Spreadsheets in the admin: export, and import with a preview before it is confirmed."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ladder.models import ChangeRecord, Ladder, LadderVersion, Level

URL = "/api/v1/companies/own-co/ladders/product-management/"


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

"""The ladder document the spreadsheet tests export and import, and a snapshot of what a write would change."""

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


def snapshot():
    return (
        Ladder.objects.values_list("version", flat=True).get(),
        LadderVersion.objects.count(),
        ChangeRecord.objects.count(),
        sorted(Level.objects.values_list("title", "code", "rank", "is_active", "description")),
    )

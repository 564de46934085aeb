"""Examples of the translation endpoints' bodies, for the schema (Swagger UI and ReDoc show them)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

TRANSLATE_EXAMPLE = {
    "source": "acme",
    "target": "globex",
    "framework": "product-management",
    "as_of": "2025-01-01",
    "titles": ["Head of Product", "Chief Vibes Officer", {"title": "Product Manager", "code": None}],
}

UNDERSTAND_EXAMPLE = {
    "framework": "product-management",
    "titles": ["Senior Director of Product Management", "Produktmanager (m/w/d)", "Senior Project Manager"],
}

UNDERSTAND_ANSWER_EXAMPLE = {
    "framework": "product-management",
    "vocabulary_version": "2026.11.1",
    "as_of": "2026-01-15",
    "results": [
        {
            "input": "Staff Technical Product Manager, Payments (Remote)",
            "understanding": {
                "family": "product-management",
                "family_name": "Product management",
                "qualifiers": ["technical", "payments"],
                "seniority": ["staff"],
                "numbers": [],
                "codes": [],
                "track": "ic",
                "manages_product_managers": False,
                "span": [3.5, 4.5],
                "ignored": ["remote"],
                "unknown_words": [],
                "languages": [],
                "reading": "staff technical product manager",
                "certainty": 0.76,
            },
            "reference_level": {
                "slug": "principal-pm",
                "name": "Principal Product Manager",
                "track": "ic",
                "position": 4,
            },
            "confidence": 0.76,
            "basis": "understood",
            "alternatives": [
                {
                    "reference_level": {
                        "slug": "group-pm",
                        "name": "Group Product Manager",
                        "track": "management",
                        "position": 4,
                    },
                    "confidence": 0.38,
                }
            ],
            "error": None,
        },
        {
            "input": "Senior Project Manager",
            "understanding": {
                "family": "project-management",
                "family_name": "Project management",
                "qualifiers": [],
                "seniority": ["senior"],
                "numbers": [],
                "codes": [],
                "track": None,
                "manages_product_managers": False,
                "span": None,
                "ignored": [],
                "unknown_words": [],
                "languages": [],
                "reading": "senior project manager",
                "certainty": 0.8,
            },
            "reference_level": None,
            "confidence": 0.0,
            "basis": None,
            "alternatives": [],
            "error": {
                "code": "other_job_family",
                "detail": "'Senior Project Manager' reads as a Project management title, not a product-management one.",
                "suggestions": [],
                "candidates": [],
                "family": "project-management",
            },
        },
    ],
    "summary": {"total": 2, "placed": 1, "other_job_family": 1, "unresolved": 0},
}


TRANSLATE_REQUEST = OpenApiExample("Three titles", value=TRANSLATE_EXAMPLE, request_only=True)
UNDERSTAND_REQUEST = OpenApiExample("Three titles", value=UNDERSTAND_EXAMPLE, request_only=True)
# The same answer, named as each operation has always named it.
UNDERSTAND_ONE_ANSWER = OpenApiExample("Two titles", value=UNDERSTAND_ANSWER_EXAMPLE, response_only=True)
UNDERSTAND_MANY_ANSWER = OpenApiExample("Answer", value=UNDERSTAND_ANSWER_EXAMPLE, response_only=True)

"""The title parser: noise, segments, languages, qualifiers and codes read from a title."""

from __future__ import annotations

from datetime import date

import pytest

from ladder.engine.translate import translate
from tests.engine.ladders import REFERENCE
from tests.engine.support import VOCABULARY

DAY = date(2025, 1, 1)


def parse(title: str):
    return VOCABULARY.understand(title)


@pytest.mark.parametrize(
    "noisy",
    [
        "Senior Product Manager (m/w/d)",
        "Senior Product Manager (f/m/d)",
        "Senior Product Manager H/F",
        "Senior Product Manager (all genders) - Remote",
        "Senior Product Manager - Contract, EMEA",
        "Senior Product Manager at Acme",
        "Senior Produktmanager/in (m/w/d)",
    ],
)
def test_job_ad_noise_is_ignored_and_reported(noisy):
    understood = parse(noisy)
    assert (understood.family, understood.seniority, understood.span) == ("product-management", ("senior",), (2.5, 3.5))
    assert understood.ignored
    assert not understood.unknown


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Produktmanager (m/w/d)", "de"),
        ("Chef de produit H/F", "fr"),
        ("Gerente de Producto", "es"),
        ("Gerente de Produto", "pt"),
        ("Productmanager", "nl"),
    ],
)
def test_product_manager_in_five_languages(title, language):
    understood = parse(title)
    assert understood.is_product_management
    assert understood.languages == (language,)
    result = translate(REFERENCE, REFERENCE, title, DAY, VOCABULARY)
    assert result.target_level.reference_level == "pm"


def test_qualifiers_and_codes_are_read():
    understood = parse("Senior Technical Product Manager, AI Platform (L5)")
    assert set(understood.qualifiers) >= {"technical", "ai", "platform"}
    assert understood.codes == ("L5",)


def test_the_parse_says_what_it_read():
    data = parse("Sr. PM - Payments (Remote)").to_dict()
    assert data["family"] == "product-management"
    assert data["seniority"] == ["senior"]
    assert data["reading"] == "senior product manager"
    assert "remote" in data["ignored"]
    assert data["qualifiers"] == ["payments"]


@pytest.mark.parametrize("junk", ["", "   ", "x" * 5000, "(m/w/d)", "////", "é\u0301" * 300, "123456"])
def test_odd_input_never_breaks_the_parser(junk):
    understood = parse(junk)
    assert understood.span is None
    assert understood.certainty == 0.0

"""What a title's words mean: family, seniority, track and place on the scale."""

from __future__ import annotations

from datetime import date

import pytest

from ladder.engine.translate import translate
from tests.engine.ladders import ENTERPRISE, REFERENCE
from tests.engine.support import FAMILY_TRAPS, VOCABULARY

DAY = date(2025, 1, 1)


def parse(title: str):
    return VOCABULARY.understand(title)


@pytest.mark.parametrize(("title", "family"), FAMILY_TRAPS)
def test_a_title_of_another_family_is_not_product_management(title, family):
    understood = parse(title)
    assert understood.family == family
    assert not understood.is_product_management
    assert understood.span is None


@pytest.mark.parametrize(
    ("title", "seniority", "track", "reference"),
    [
        ("Staff Product Manager, Payments", ("staff",), "ic", "principal-pm"),
        ("Principal PM - Growth", ("principal",), "ic", "principal-pm"),
        ("Senior Director of Product Management", ("senior director",), "management", "director"),
        ("SVP, Product", ("svp",), "executive", "vp"),
        ("EVP Product", ("evp",), "executive", "vp"),
        ("Associate Director, Product Management", ("associate director",), "management", "group-pm"),
        ("Lead Product Manager, Checkout", ("lead",), "ic", "principal-pm"),
        ("Head of Product, Payments", ("head of",), "management", "director"),
        ("Manager, Product Management", ("manager of",), "management", "group-pm"),
        ("Senior Manager, Product Management", ("senior manager of",), "management", "group-pm"),
        ("Group Product Manager - Ads", ("group",), "management", "group-pm"),
        ("Chief Product Officer, Consumer", ("chief",), "executive", "cpo"),
        ("Junior Product Owner", ("junior",), "ic", "apm"),
    ],
)
def test_seniority_compositions_are_placed_on_the_scale(title, seniority, track, reference):
    understood = parse(title)
    assert understood.is_product_management
    assert (understood.seniority, understood.track) == (seniority, track)
    result = translate(REFERENCE, REFERENCE, title, DAY, VOCABULARY)
    assert result.ok, result.error
    assert result.target_level.reference_level == reference
    # The reference names some of these itself ("Head of Product" is a Director alias).
    assert result.resolution.basis in ("understood", "normalized", "alias")


def test_where_the_modifiers_sit():
    def span(title):
        return parse(title).span

    assert span("Staff Product Manager") == span("Principal Product Manager") == (3.5, 4.5)
    director, vp, cpo = span("Director of Product"), span("VP of Product"), span("Chief Product Officer")
    senior_director = span("Senior Director of Product")
    assert director[0] < senior_director[0] < vp[0]  # between director and VP
    for title in ("SVP of Product", "EVP of Product"):
        assert vp[0] < span(title)[0] < cpo[0]  # between VP and CPO
    # "Lead" and "Head of" are wide.
    assert span("Head of Product")[1] - span("Head of Product")[0] >= 2.0
    assert (
        span("Product Lead")[1] - span("Product Lead")[0]
        > span("Lead Product Manager")[1] - span("Lead Product Manager")[0]
    )


def test_manager_of_product_managers_is_told_apart_from_a_product_manager():
    assert parse("Manager, Product Management").manages
    assert parse("Head of Product").track == "management"
    assert not parse("Product Manager").manages
    assert parse("Product Manager").track == "ic"
    # The old answer was the ladder's Product Manager with confidence 1.0: the normalised form of
    # "Manager, Product Management" is that of "Product Manager".
    result = translate(ENTERPRISE, ENTERPRISE, "Manager, Product Management", DAY, VOCABULARY)
    assert result.target_level.track == "management"
    assert result.resolution.basis == "understood"


def test_numbered_titles_move_within_their_band():
    first, second, third = (parse(f"Product Manager {n}").span for n in (1, 2, 3))
    assert first[0] < second[0] < third[0]
    assert parse("Product Manager II").numbers == (2,)
    # A long number is a requisition id or a team, not a level.
    assert parse("Product Manager - Payments 2024").numbers == ()


def test_a_title_naming_no_family_is_not_placed():
    for title in ("Chief Vibes Officer", "Senior Manager", "Product", "Payments"):
        assert parse(title).span is None

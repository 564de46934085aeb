"""Title normalisation and level-code extraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.engine.normalize import SENIORITY_WORDS, extract_code, normalize_code, normalize_title


@pytest.mark.parametrize(
    "title",
    [
        "Senior Product Manager",
        "Sr. Product Mgr - Payments",
        "Sr. PM",
        "SNR PM",
        "senior product manager (AWS)",
        "Senior Product Manager – Payments",
        "Senior Product Manager — Payments",
        "Senior Product Manager | Search",
        "Senior Product Manager, Growth & Monetization",
        "Senior Product Manager @ Acme",
        "  SENIOR   PRODUCT  MANAGER  ",
        "Senior Product Manager -Payments",
        "Payments - Senior PM",
        "Senior PM / Checkout",
        "Senior PM - Product Platform",
        "Senior Prod. Mngr",
        "SPM",
        "ＳＥＮＩＯＲ ＰＭ",
    ],
)
def test_spellings_of_senior_pm_normalise_alike(title):
    assert normalize_title(title) == "senior product manager"


@pytest.mark.parametrize(
    "title",
    [
        "VP of Product",
        "vp product",
        "VP, Product",
        "Vice President of Product",
        "V.P. Product",
        "Vice-President, Product",
    ],
)
def test_vice_president_of_product_forms(title):
    assert normalize_title(title) == "vice president product"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Director of Product Management", "director product"),
        ("Director, Product", "director product"),
        ("Director of Product", "director product"),
        ("Head of Product", "head product"),
        ("Head, Product", "head product"),
        ("APM", "associate product manager"),
        ("Assoc. PM", "associate product manager"),
        ("GPM", "group product manager"),
        ("Grp PM", "group product manager"),
        ("Princ. PM", "principal product manager"),
        ("Jr. PM", "junior product manager"),
        ("SVP, Product", "senior vice president product"),
        ("EVP Product", "executive vice president product"),
        ("CPO", "chief product officer"),
        ("Chief Product Officer (CPO)", "chief product officer"),
        ("Dir. of Product", "director product"),
        ("Hd of Product", "head product"),
        ("Product & Design Lead", "product and design lead"),
        ("Product Owner", "product owner"),
        ("PO", "product owner"),
    ],
)
def test_abbreviations_and_filler(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Product Manager II", "product manager 2"),
        ("Product Manager III - Payments", "product manager 3"),
        ("PM IV", "product manager 4"),
        ("Product Manager Ⅱ", "product manager 2"),
        ("PM I - Payments", "product manager 1"),
        ("Product Manager, Level II", "product manager 2"),
        ("Product Manager (Level 3)", "product manager 3"),
        ("Product Manager 2", "product manager 2"),
        # A lone letter that opens a title is a word, not a numeral.
        ("I", "i"),
        ("V", "v"),
        # A numeral after a number is left alone rather than doubled up.
        ("Product Manager 2 II", "product manager 2 ii"),
    ],
)
def test_roman_numerals_become_level_numbers(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # A team suffix is dropped even when it carries a number...
        ("Product Manager - Payments 2", "product manager"),
        ("Product Manager (EMEA 42)", "product manager"),
        # ...but a suffix made only of level information is kept.
        ("Product Manager - II", "product manager 2"),
        ("Product Manager (IC5)", "product manager ic5"),
        ("Product Manager - 63", "product manager 63"),
        # Seniority words survive from any segment.
        ("Product Manager, Senior", "product manager senior"),
        ("Product Manager - Senior Payments", "product manager senior"),
        ("Director (Senior)", "director senior"),
        # A role word the title lacks is taken from the qualifier; one it has is not repeated.
        ("VP - Product", "vice president product"),
        ("Senior PM - Product Growth", "senior product manager"),
    ],
)
def test_suffix_stripping_keeps_level_information(title, expected):
    assert normalize_title(title) == expected


def test_seniority_separates_titles():
    assert normalize_title("Senior Director") != normalize_title("Director")
    assert normalize_title("Associate Product Manager") != normalize_title("Product Manager")
    assert normalize_title("SVP Product") != normalize_title("VP Product")
    assert normalize_title("Product Manager 2") != normalize_title("Product Manager 3")


@pytest.mark.parametrize("title", ["", "   ", "---", "()", "&", "of the", "\u0301\u200b"])
def test_titles_without_words_normalise_to_empty(title):
    assert normalize_title(title) == ("and" if title == "&" else "")


def test_long_titles_are_normalised_without_caching():
    title = "Senior Product Manager - " + "x" * 10_000
    assert normalize_title(title) == "senior product manager"


_WORDS = "sr Sr. senior PM pm Mgr VP V.P. of the product management ii I v x IC5 a b ß ǅ ﬁ İ Ⅱ é level 2 3"
_PIECES = st.sampled_from(
    [
        *_WORDS.split(),
        *["director", "head", "lead", "Payments", "apm", "mgmt"],
        *["Product Management", "e\u0301", "-", " - ", ",", "(", ")", "&", "/", " / ", "–", "|"],
    ]
)
_TITLES = st.one_of(
    st.text(max_size=60),
    st.lists(_PIECES, max_size=12).map(" ".join),
    st.lists(_PIECES, max_size=12).map("".join),
)


@settings(max_examples=1500, deadline=None)
@given(_TITLES)
def test_normalisation_is_idempotent(title):
    once = normalize_title(title)
    assert normalize_title(once) == once


@settings(max_examples=500, deadline=None)
@given(_TITLES, st.sampled_from(sorted(SENIORITY_WORDS)), _TITLES)
def test_seniority_words_always_survive(before, word, after):
    # Spaces on both sides keep the word a token of its own whatever surrounds it.
    assert word in normalize_title(f"{before} {word} {after}").split()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Product Manager (IC5)", ("Product Manager", "IC5")),
        ("Product Manager [L5]", ("Product Manager", "L5")),
        ("Product Manager - IC5", ("Product Manager", "IC5")),
        ("Product Manager – ic 5", ("Product Manager", "IC5")),
        ("Product Manager, L-5", ("Product Manager", "L5")),
        ("Product Manager IC5", ("Product Manager", "IC5")),
        ("IC5 Product Manager", ("Product Manager", "IC5")),
        ("IC5 - Product Manager", ("Product Manager", "IC5")),
        ("63 | Product Manager", ("Product Manager", "63")),
        ("Product Manager - 63", ("Product Manager", "63")),
        ("Product Manager (63)", ("Product Manager", "63")),
        ("L5", ("", "L5")),
        ("ic 5", ("", "IC5")),
        ("  63 ", ("", "63")),
        ("ＩＣ５", ("", "IC5")),
    ],
)
def test_extract_code_finds_codes(raw, expected):
    assert extract_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["Product Manager 2", "Product Manager", "Senior Product Manager", "", "5G Product Manager", "B2B PM lead"],
)
def test_extract_code_leaves_level_numbers_and_plain_titles(raw):
    assert extract_code(raw) == (raw, None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ic 5", "IC5"), ("l-5", "L5"), ("IC5", "IC5"), (" 63 ", "63"), ("m.2", "M2"), ("", ""), (None, "")],
)
def test_normalize_code(code, expected):
    assert normalize_code(code) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_extract_code_never_fails_and_returns_canonical_codes(raw):
    rest, code = extract_code(raw)
    assert isinstance(rest, str)
    if code is not None:
        assert code == normalize_code(code)
        assert code.isalnum()
        assert any(ch.isdigit() for ch in code)


# --- regressions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # A team or product name that merely contains a digit is still a team name...
        ("Senior Product Manager - B2B", "senior product manager"),
        ("Product Manager - 5G", "product manager"),
        ("Product Manager (B2B2C)", "product manager"),
        ("Senior PM, 3D Printing", "senior product manager"),
        ("Product Manager - Payments2Go", "product manager"),
        # ...while numbers, roman numerals and level-code shapes behind a separator are level information.
        ("Product Manager - 2", "product manager 2"),
        ("Product Manager - IV", "product manager 4"),
        ("Product Manager (L7)", "product manager l7"),
        ("Product Manager - M2", "product manager m2"),
        ("Product Manager [P3]", "product manager p3"),
        ("Product Manager | E1", "product manager e1"),
        ("Product Manager - Level 3", "product manager 3"),
    ],
)
def test_only_level_shaped_tokens_keep_a_suffix(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize("code", ["ΐ1", "ﬃ2", "ŉ5", "ß 1", "a-\u0301", "\u1fed7", "ǅ3"])
def test_normalize_code_examples_are_idempotent(code):
    once = normalize_code(code)
    assert normalize_code(once) == once


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(max_size=20), st.text(alphabet="ΐΰﬃŉßǅİıÅ\u0301\u0308 -._1Ⅱ", max_size=12)))
def test_normalize_code_is_idempotent(code):
    once = normalize_code(code)
    assert normalize_code(once) == once

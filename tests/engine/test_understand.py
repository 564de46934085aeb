"""The title parser: families, seniority, track, placement and noise, from the shipped vocabulary."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution, ResolveError
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate
from ladder.engine.understand import Vocabulary
from ladder.engine.vocabulary import VocabularyError, merge_vocabulary
from tests.engine.ladders import ENTERPRISE, FRAMEWORK, level

VOCABULARY_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "vocabulary" / "title-vocabulary.json"
VOCABULARY = Vocabulary.from_file(VOCABULARY_FILE)
REFERENCE = FRAMEWORK.to_ladder()
DAY = date(2025, 1, 1)


def parse(title: str):
    return VOCABULARY.understand(title)


def test_the_vocabulary_file_is_versioned_and_names_every_family_of_the_issue():
    data = json.loads(VOCABULARY_FILE.read_text())
    assert data["version"]
    families = {item["slug"] for item in data["families"]}
    assert families >= {
        "product-management",
        "product-marketing",
        "product-design",
        "product-analytics",
        "product-operations",
        "product-support",
        "production",
        "project-management",
        "programme-management",
        "engineering",
        "data-science",
        "sales",
        "account-management",
        "customer-success",
        "brand-marketing",
        "merchandising",
    }
    assert {t["language"] for t in data["translations"]} >= {"de", "fr", "es", "pt", "nl"}


# One trap per family: a title that shares words with product management but is not one.
FAMILY_TRAPS = [
    ("Senior Product Marketing Manager", "product-marketing"),
    ("Lead Product Designer", "product-design"),
    ("Senior Product Analyst", "product-analytics"),
    ("Product Operations Manager", "product-operations"),
    ("Product Support Specialist", "product-support"),
    ("Senior Production Manager", "production"),
    ("Senior Project Manager", "project-management"),
    ("Senior Technical Program Manager", "programme-management"),
    ("Senior Product Engineer", "engineering"),
    ("Product Data Scientist", "data-science"),
    ("Sales Director", "sales"),
    ("Key Account Manager", "account-management"),
    ("Customer Success Manager", "customer-success"),
    ("Senior Brand Manager", "brand-marketing"),
    ("Merchandising Manager", "merchandising"),
]


@pytest.mark.parametrize(("title", "family"), FAMILY_TRAPS)
def test_a_title_of_another_family_is_not_product_management(title, family):
    understood = parse(title)
    assert understood.family == family
    assert not understood.is_product_management
    assert understood.span is None


@pytest.mark.parametrize(("title", "family"), FAMILY_TRAPS)
def test_another_family_answers_other_job_family_at_a_company_and_at_the_reference(title, family):
    for ladder in (ENTERPRISE, REFERENCE):
        result = resolve(ladder, title, as_of=DAY, vocabulary=VOCABULARY)
        assert isinstance(result, ResolveError), (ladder.key, title, result)
        assert (result.code, result.family) == ("other_job_family", family)


def test_fuzzy_matching_never_turns_one_family_word_into_another():
    # Without the parser, "production" is one letter-swap away from "product" and the old answer
    # was the ladder's Senior Product Manager.
    for title in ("Senior Production Manager", "Senior Project Manager", "Senior Program Manager"):
        result = resolve(ENTERPRISE, title, as_of=DAY, vocabulary=VOCABULARY)
        assert isinstance(result, ResolveError) and result.code == "other_job_family"


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


@pytest.mark.parametrize(
    "title",
    [
        "Senior Director of Product Management",
        "SVP, Product",
        "EVP Product",
        "Associate Director, Product Management",
        "Senior Manager, Product Management",
        "Staff Product Manager (Remote)",
    ],
)
def test_titles_the_reference_does_not_hold_are_understood_below_a_ladder_hit(title):
    result = translate(REFERENCE, REFERENCE, title, DAY, VOCABULARY)
    assert result.resolution.basis == "understood"
    assert 0 < result.confidence < 1.0
    assert result.to_dict()["understanding"]["family"] == "product-management"


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


def test_numbered_titles_move_within_their_band():
    first, second, third = (parse(f"Product Manager {n}").span for n in (1, 2, 3))
    assert first[0] < second[0] < third[0]
    assert parse("Product Manager II").numbers == (2,)
    # A long number is a requisition id or a team, not a level.
    assert parse("Product Manager - Payments 2024").numbers == ()


def test_qualifiers_and_codes_are_read():
    understood = parse("Senior Technical Product Manager, AI Platform (L5)")
    assert set(understood.qualifiers) >= {"technical", "ai", "platform"}
    assert understood.codes == ("L5",)


def test_a_title_naming_no_family_is_not_placed():
    for title in ("Chief Vibes Officer", "Senior Manager", "Product", "Payments"):
        assert parse(title).span is None


def test_the_parse_says_what_it_read():
    data = parse("Sr. PM - Payments (Remote)").to_dict()
    assert data["family"] == "product-management"
    assert data["seniority"] == ["senior"]
    assert data["reading"] == "senior product manager"
    assert "remote" in data["ignored"]
    assert data["qualifiers"] == ["payments"]


def test_an_understood_title_at_a_company_names_the_level_it_sits_beside():
    startup = LadderSnapshot.build(
        key="startup",
        framework="product-management",
        version=1,
        levels=[
            level(1, "Product Manager", 1.0, 2.5, anchor="pm"),
            level(2, "Senior Product Manager", 2.5, 3.5, anchor="senior-pm"),
            level(3, "Head of Product", 3.5, 6.5, track="management", anchor="director"),
        ],
    )
    result = resolve(startup, "Staff Product Manager", as_of=DAY, vocabulary=VOCABULARY)
    assert isinstance(result, Resolution)
    assert result.basis == "understood"
    assert result.understanding.span == (3.5, 4.5)
    # By the matching rules an overlap beats a near miss: the wide Head of Product covers 3.5-4.5.
    assert result.level.id == 3
    answer = translate(startup, startup, "Staff Product Manager", DAY, VOCABULARY)
    assert answer.source_level.id == answer.target_level.id == 3


def test_an_override_extends_the_vocabulary_and_changes_its_version(tmp_path):
    override = tmp_path / "house.json"
    override.write_text(
        json.dumps(
            {
                "version": "house-1",
                "families": [{"slug": "product-management", "phrases": ["solution owner"]}],
                "translations": [{"language": "it", "from": "responsabile prodotto", "to": "product manager"}],
            }
        )
    )
    extended = Vocabulary.from_file(VOCABULARY_FILE, [override])
    assert extended.version == f"{VOCABULARY.version}+house-1"
    assert extended.understand("Senior Solution Owner").is_product_management
    assert extended.understand("Responsabile Prodotto").span == (1.5, 2.5)
    assert not VOCABULARY.understand("Senior Solution Owner").is_product_management


def test_a_malformed_vocabulary_is_refused_with_a_clear_error():
    data = json.loads(VOCABULARY_FILE.read_text())
    broken = dict(data, seniority=[{"key": "x", "phrases": ["x"], "track": "ic", "span": [3, 2]}])
    with pytest.raises(VocabularyError):
        Vocabulary(broken)
    with pytest.raises(VocabularyError):
        merge_vocabulary(data, {"families": []})  # an override needs its own version


@pytest.mark.parametrize("junk", ["", "   ", "x" * 5000, "(m/w/d)", "////", "é\u0301" * 300, "123456"])
def test_odd_input_never_breaks_the_parser(junk):
    understood = parse(junk)
    assert understood.span is None
    assert understood.certainty == 0.0


# --- The translation properties still hold with understanding on -------------------------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ladder.engine.results import TitleQuery  # noqa: E402
from ladder.engine.translate import translate_many  # noqa: E402
from tests.engine.ladders import ALL_LADDERS  # noqa: E402
from tests.engine.test_translate import _ITEM, _same_answer, anchored_ladders, ladders  # noqa: E402

MARKET_ITEMS = st.one_of(
    _ITEM,
    st.sampled_from(
        [
            "Senior Project Manager",
            "Staff Product Manager (m/w/d)",
            "Manager, Product Management",
            "Produktmanager",
            "SVP, Product",
            "Product Owner",
        ]
    ),
)


@settings(max_examples=100, deadline=None)
@given(ladders("alpha"))
def test_identity_with_understanding(ladder):
    for lv in ladder.levels:
        assert translate(ladder, ladder, TitleQuery(lv.title, lv.code), DAY, VOCABULARY).target_level == lv


@settings(max_examples=100, deadline=None)
@given(st.one_of(anchored_ladders(), st.just(ENTERPRISE)), st.one_of(ladders("bravo"), st.sampled_from(ALL_LADDERS)))
def test_reference_detour_with_understanding(a, b):
    assume(a.key != b.key)
    for lv in a.levels:
        rung = FRAMEWORK.get(lv.reference_level)
        if rung is None or rung.track != lv.track or (lv.scale_from, lv.scale_to) != (rung.scale_from, rung.scale_to):
            continue
        direct = translate(a, b, TitleQuery(lv.title, lv.code), DAY, VOCABULARY)
        to_reference = translate(a, REFERENCE, TitleQuery(lv.title, lv.code), DAY, VOCABULARY)
        onward = translate(REFERENCE, b, to_reference.target_level.title, DAY, VOCABULARY)
        _same_answer(direct, onward)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([*ALL_LADDERS, REFERENCE]),
    st.sampled_from([*ALL_LADDERS, REFERENCE]),
    st.lists(MARKET_ITEMS, max_size=30),
)
def test_bulk_equals_single_with_understanding(source, target, items):
    batch = translate_many(source, target, items, DAY, VOCABULARY)
    assert batch == [translate(source, target, item, DAY, VOCABULARY) for item in items]
    for result in batch:
        assert 0.0 <= result.confidence <= 1.0
        if result.resolution is not None and result.resolution.basis == "understood":
            assert result.confidence < 1.0
        result.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([*ALL_LADDERS, REFERENCE]), st.text(max_size=120), st.one_of(st.none(), st.text(max_size=8)))
def test_understanding_never_raises(source, title, code):
    result = translate(source, REFERENCE, TitleQuery(title, code), DAY, VOCABULARY)
    result.to_dict()
    assert 0.0 <= result.confidence <= 1.0


def test_a_manager_named_before_the_function_is_never_fuzzed_into_a_product_manager():
    for title in ("Manager, Product", "Senior Manager, Product"):
        result = translate(ENTERPRISE, REFERENCE, title, DAY, VOCABULARY)
        assert result.resolution.basis == "understood", title
        assert result.target_level.track == "management", title


def test_a_code_in_the_title_is_read_at_the_reference_but_never_dropped_at_a_coded_ladder():
    at_reference = translate(REFERENCE, REFERENCE, "Principal Product Manager - Technical (L7)", DAY, VOCABULARY)
    assert at_reference.target_level.reference_level == "principal-pm"
    assert at_reference.resolution.understanding.codes == ("L7",)
    assert at_reference.confidence < 0.8  # a code whose meaning is another company's lowers it
    coded = resolve(ENTERPRISE, "Principal Product Manager - Technical (L9)", as_of=DAY, vocabulary=VOCABULARY)
    assert isinstance(coded, ResolveError) and "L9" in coded.detail

"""The translation service called directly with a caller's tenancy facts, against the real database."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from ladder import directory
from ladder.exceptions import NotFound, ValidationFailed
from ladder.models import Framework, Organization
from ladder.translation import service
from ladder.translation.cache import local_snapshots
from tests.conftest import count_queries
from tests.factories import CompanyFactory, LadderFactory
from tests.translation.helpers import member_of

DAY = date(2025, 1, 1)


@pytest.fixture
def demo_caller(demo):
    return member_of(Organization.objects.get(slug="demo"))


@pytest.fixture
def outsider(demo, other_org):
    return member_of(other_org)


def translate(caller, source, target, items, framework=None):
    context = service.load_context(caller=caller, source=source, target=target, framework=framework)
    return service.answer_translation(context=context, items=items, as_of=DAY)


@pytest.fixture
def second_framework(demo):
    """Another framework in which globex and parallax have (empty) ladders too."""
    design = Framework.objects.create(slug="design", name="Design")
    for company in demo.values():
        if company.slug in ("globex", "parallax"):
            LadderFactory(company=company, framework=design)
    return design


# --- Answers --------------------------------------------------------------------------------------


def test_a_translation_between_two_readable_ladders(demo_caller):
    body = translate(demo_caller, "globex", "parallax", ["Sr. PM"])
    assert (body["source"], body["target"], body["framework"], body["as_of"]) == (
        "globex",
        "parallax",
        "product-management",
        "2025-01-01",
    )
    assert body["results"][0]["target_level"]["code"] == "L5"
    assert body["summary"] == {"total": 1, "translated": 1, "unresolved": 0}


def test_reference_on_either_side_needs_no_ladder(demo_caller):
    context = service.load_context(caller=demo_caller, source="reference", target="reference", framework=None)
    assert context.source is context.target is context.framework_snapshot.ladder


def test_bad_items_fail_alone_and_repeated_titles_are_answered_once(demo_caller):
    items = ["x" * (service.MAX_TITLE_LENGTH + 1), "Sr. PM\ufffd", {"title": "Sr. PM", "code": "\ufffd"}, "Sr. PM"]
    body = translate(demo_caller, "globex", "parallax", [*items, "Sr. PM"])
    codes = [r["error"]["code"] if r["error"] else None for r in body["results"]]
    assert codes == ["title_too_long", "invalid_text", "invalid_text", None, None]
    refused = body["results"][0]
    assert refused["input"] == items[0] and refused["target_level"] is None and refused["notes"] == []
    assert body["results"][3] is body["results"][4]
    assert body["summary"] == {"total": 5, "translated": 2, "unresolved": 3}


def test_a_title_of_exactly_the_longest_length_is_translated(demo_caller):
    body = translate(demo_caller, "globex", "parallax", ["P" * service.MAX_TITLE_LENGTH])
    assert body["results"][0]["error"]["code"] != "title_too_long"


def test_a_batch_holds_at_most_max_titles():
    service.check_batch_size(service.MAX_TITLES)
    with pytest.raises(ValidationFailed) as failed:
        service.check_batch_size(service.MAX_TITLES + 1)
    assert (failed.value.code, failed.value.field) == ("too_many_titles", "titles")


# --- Tenancy and the request's names --------------------------------------------------------------


def test_another_tenants_private_company_is_not_found_like_one_that_does_not_exist(outsider):
    with pytest.raises(NotFound) as hidden:
        translate(outsider, "globex", "parallax", ["Sr. PM"])
    with pytest.raises(NotFound) as missing:
        translate(outsider, "no-such-company", "parallax", ["Sr. PM"])
    assert (hidden.value.code, hidden.value.field) == ("company_not_found", "source")
    assert hidden.value.message == missing.value.message.replace("no-such-company", "globex")
    assert translate(outsider, "parallax", "reference", ["Senior Product Manager"])["results"][0]["error"] is None


def test_the_error_names_the_field_that_named_the_company(outsider):
    with pytest.raises(NotFound) as err:
        translate(outsider, "parallax", "globex", ["Sr. PM"])
    assert err.value.field == "target"
    with pytest.raises(NotFound) as both:
        translate(outsider, "globex", "globex", ["Sr. PM"])
    assert both.value.field == "source"


def test_an_unknown_framework_and_a_company_without_its_ladder(demo_caller, demo):
    with pytest.raises(NotFound) as unknown:
        translate(demo_caller, "globex", "parallax", ["Sr. PM"], framework="nope")
    assert (unknown.value.code, unknown.value.field) == ("framework_not_found", "framework")
    with pytest.raises(NotFound) as reference_only:
        translate(demo_caller, "reference", "reference", ["Sr. PM"], framework="nope")
    assert reference_only.value.code == "framework_not_found"
    CompanyFactory(organization=Organization.objects.get(slug="demo"), slug="no-ladder")
    with pytest.raises(NotFound) as no_ladder:
        translate(demo_caller, "globex", "no-ladder", ["Sr. PM"], framework="product-management")
    assert (no_ladder.value.code, no_ladder.value.field) == ("ladder_not_found", "target")
    with pytest.raises(NotFound) as unnamed:
        translate(demo_caller, "globex", "no-ladder", ["Sr. PM"])
    assert unnamed.value.code == "company_not_found"


def test_companies_with_several_shared_frameworks_must_name_one(demo_caller, second_framework):
    with pytest.raises(ValidationFailed) as several:
        translate(demo_caller, "globex", "parallax", ["Sr. PM"])
    assert (several.value.code, several.value.field) == ("framework_required", "framework")
    assert "design, product-management" in several.value.message
    named = translate(demo_caller, "globex", "parallax", ["Sr. PM"], framework="product-management")
    assert named["results"][0]["target_level"]["code"] == "L5"
    with pytest.raises(ValidationFailed) as reference:
        translate(demo_caller, "reference", "reference", ["Sr. PM"])
    assert reference.value.code == "framework_required"


def test_companies_without_a_common_framework(demo_caller, demo, second_framework):
    designers = CompanyFactory(organization=Organization.objects.get(slug="demo"), slug="design-only")
    LadderFactory(company=designers, framework=second_framework)
    with pytest.raises(ValidationFailed) as err:
        translate(demo_caller, "acme", "design-only", ["Sr. PM"])
    assert (err.value.code, err.value.field) == ("no_common_framework", "framework")


# --- Queries --------------------------------------------------------------------------------------


def test_loading_a_context_takes_three_queries_cold_and_none_warm(demo_caller):
    local_snapshots.clear()
    cache.clear()
    directory.clear_local()
    _, cold = count_queries(
        lambda: service.load_context(caller=demo_caller, source="globex", target="parallax", framework=None)
    )
    assert cold == 3  # ladders, levels, aliases
    _, warm = count_queries(
        lambda: service.load_context(caller=demo_caller, source="globex", target="parallax", framework=None)
    )
    assert warm == 0


# --- Career path ----------------------------------------------------------------------------------


def career(caller, company, title, code=None):
    return service.answer_career_path(caller=caller, company=company, title=title, code=code, framework=None, as_of=DAY)


def test_a_career_path(demo_caller):
    body = career(demo_caller, "globex", "Sr. PM")
    assert (body["company"], body["framework"]) == ("globex", "product-management")
    assert body["level"]["code"] == "IC6"
    assert body["next_levels"] or body["branches"]


def test_career_path_refusals(demo_caller, outsider):
    with pytest.raises(ValidationFailed) as reference:
        career(demo_caller, "reference", "Senior Product Manager")
    assert (reference.value.code, reference.value.field) == ("invalid", "company")
    with pytest.raises(ValidationFailed) as ambiguous:
        career(demo_caller, "globex", "Product Manager")
    assert (ambiguous.value.code, ambiguous.value.field) == ("ambiguous_title", "title")
    assert "Candidates: " in ambiguous.value.message and "(IC4)" in ambiguous.value.message
    with pytest.raises(NotFound) as unresolved:
        career(demo_caller, "globex", "Chief Vibes Officer")
    assert unresolved.value.code == "unresolved_title"
    with pytest.raises(NotFound) as hidden:
        career(outsider, "globex", "Sr. PM")
    assert (hidden.value.code, hidden.value.field) == ("company_not_found", "company")


def test_a_company_with_several_ladders_names_its_framework_for_a_career_path(demo_caller, second_framework):
    with pytest.raises(ValidationFailed) as err:
        career(demo_caller, "globex", "Sr. PM")
    assert (err.value.code, err.value.field) == ("framework_required", "framework")

"""Which ladders a caller may translate with: tenancy, the slug rule, archives, and remembered lookups."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ladder.tenancy import Caller
from ladder.translation.ladders import CompanyRef, FrameworkRef, LadderRef, readable_ladders
from tests.conftest import count_queries
from tests.factories import CompanyFactory
from tests.translation.helpers import ladder_of, member_of

PM = "product-management"


def companies(caller: Caller, *slugs: str, framework: str | None = None) -> dict[str, int]:
    """Company slug -> the id of the ladder the caller gets under it."""
    return {ref.company.slug: ref.pk for ref in readable_ladders(caller, set(slugs), framework)}


@pytest.fixture
def world(framework, org, other_org, company, other_company, other_public_company):
    """A ladder for each of: the caller's company, another tenant's private and public companies."""
    for owned in (company, other_company, other_public_company):
        ladder_of(owned, framework, ("Senior PM", "senior-pm"))
    return {"mine": member_of(org), "theirs": member_of(other_org)}


def test_a_caller_reads_its_own_and_public_companies_only(world, company, other_company, other_public_company):
    slugs = (company.slug, other_company.slug, other_public_company.slug)
    assert set(companies(world["mine"], *slugs)) == {company.slug, other_public_company.slug}
    assert set(companies(world["theirs"], *slugs)) == {other_company.slug, other_public_company.slug}
    superuser = Caller(readable_org_ids=frozenset(), writable_org_ids=frozenset(), home_org_id=None, is_superuser=True)
    assert set(companies(superuser, *slugs)) == set(slugs)


def test_archived_companies_and_ladders_are_not_read(world, company, other_public_company):
    company.archived_at = timezone.now()
    company.save()
    other_public_company.ladders.update(archived_at=timezone.now())
    assert companies(world["mine"], company.slug, other_public_company.slug) == {}


def test_ones_own_company_shadows_a_public_one_with_the_same_slug(world, framework, org, other_public_company):
    twin = CompanyFactory(organization=org, slug=other_public_company.slug)
    own = ladder_of(twin, framework, ("Own Senior", "senior-pm"))
    assert companies(world["mine"], twin.slug) == {twin.slug: own.pk}
    assert companies(world["theirs"], twin.slug) == {twin.slug: other_public_company.ladders.get().pk}


def test_the_slug_rule_ranks_the_home_organization_before_the_others_read(framework, org, other_org):
    twins = {}
    for owner in (org, other_org):
        twins[owner.pk] = ladder_of(CompanyFactory(organization=owner, slug="twin"), framework, ("PM", "pm")).pk
    assert companies(member_of(org, other_org), "twin") == {"twin": twins[org.pk]}
    assert companies(member_of(other_org, org), "twin") == {"twin": twins[other_org.pk]}
    # Without a home organization among them, the lower organization id comes first.
    reader = Caller(readable_org_ids=frozenset(twins), writable_org_ids=frozenset(), home_org_id=None)
    assert companies(reader, "twin") == {"twin": twins[min(twins)]}


def test_a_framework_filter_and_every_ladder_without_one(world, company, framework):
    assert set(companies(world["mine"], company.slug, framework=PM)) == {company.slug}
    assert companies(world["mine"], company.slug, framework="other") == {}


def test_lookups_are_remembered_per_caller(world, company, other_public_company):
    slugs = (company.slug, other_public_company.slug)
    companies(world["mine"], *slugs)
    mine, remembered = count_queries(lambda: companies(world["mine"], *slugs))
    assert remembered == 0
    theirs = companies(world["theirs"], *slugs)
    assert set(mine) == set(slugs) and set(theirs) == {other_public_company.slug}


def test_a_ladder_ref_of_a_loaded_ladder(world, company):
    ladder = company.ladders.select_related("company", "framework").get()
    ref = LadderRef.of(ladder)
    fw = ladder.framework
    assert ref == LadderRef(
        ladder.pk,
        ladder.version,
        CompanyRef(company.slug),
        FrameworkRef(fw.pk, fw.slug, fw.name, str(fw.updated_at)),
        None,
        None,
    )


def test_a_slug_names_the_callers_company_even_when_only_a_public_one_has_a_ladder(world, org, other_public_company):
    """As ``tenancy.readable_company`` decides for every other endpoint (the ladder document answers 404
    for the caller's own twin without a ladder): the public twin's ladder is not used in its place."""
    CompanyFactory(organization=org, slug=other_public_company.slug)
    assert companies(world["mine"], other_public_company.slug) == {}
    assert set(companies(world["theirs"], other_public_company.slug)) == {other_public_company.slug}

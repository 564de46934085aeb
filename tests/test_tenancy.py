"""``tenancy.readable_company_sql`` says in SQL what the ORM rules of ``ladder.tenancy`` say."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from ladder.models import Company
from ladder.tenancy import ANONYMOUS, Caller, readable_company, readable_company_sql
from tests.factories import CompanyFactory, OrganizationFactory


def named_by_sql(caller: Caller) -> dict[str, int]:
    condition, params = readable_company_sql(caller, "c")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.slug, c.id FROM {Company._meta.db_table} c WHERE {condition}", params)
        rows = cursor.fetchall()
    assert len(rows) == len({slug for slug, _ in rows}), rows  # one company per slug
    return dict(rows)


def named_by_orm(caller: Caller, slugs) -> dict[str, int]:
    found = {slug: readable_company(caller, slug) for slug in slugs}
    return {slug: company.pk for slug, company in found.items() if company is not None}


@pytest.fixture
def orgs(db):
    """Three organizations sharing slugs: ``twin`` in each (public in the third), ``solo`` private in one."""
    a, b, c = (OrganizationFactory(slug=f"org-{name}") for name in "abc")
    for org in (a, b):
        CompanyFactory(organization=org, slug="twin")
    CompanyFactory(organization=c, slug="twin", is_public=True)
    CompanyFactory(organization=b, slug="solo")
    CompanyFactory(organization=c, slug="public-only", is_public=True)
    CompanyFactory(organization=a, slug="gone", archived_at=timezone.now())
    return a, b, c


def member(home, *others) -> Caller:
    ids = frozenset({org.pk for org in (home, *others) if org is not None})
    return Caller(readable_org_ids=ids, writable_org_ids=ids, home_org_id=home.pk if home else None)


SLUGS = ("twin", "solo", "public-only", "gone")


@pytest.mark.parametrize(
    "who",
    ["a", "b", "c", "a+b", "b+a", "reader of a and b", "anonymous", "superuser", "superuser in b"],
)
def test_the_sql_names_the_company_the_orm_names(orgs, who):
    a, b, c = orgs
    caller = {
        "a": member(a),
        "b": member(b),
        "c": member(c),
        "a+b": member(a, b),
        "b+a": member(b, a),
        "reader of a and b": Caller(frozenset({a.pk, b.pk}), frozenset(), None),
        "anonymous": ANONYMOUS,
        "superuser": Caller(frozenset(), frozenset(), None, is_superuser=True),
        "superuser in b": Caller(frozenset({b.pk}), frozenset({b.pk}), b.pk, is_superuser=True),
    }[who]
    assert named_by_sql(caller) == named_by_orm(caller, SLUGS)


def test_what_the_rule_means(orgs):
    a, b, c = orgs
    twins = dict(Company.objects.filter(slug="twin").values_list("organization_id", "id"))
    assert named_by_sql(member(a))["twin"] == twins[a.pk]  # one's own first
    assert named_by_sql(member(b, a))["twin"] == twins[b.pk]  # the home organization before the others
    assert named_by_sql(ANONYMOUS) == {"twin": twins[c.pk], "public-only": Company.objects.get(slug="public-only").pk}
    assert "gone" not in named_by_sql(Caller(frozenset(), frozenset(), None, is_superuser=True))

"""What every resource view shares: a query budget that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladder.models import Company
from ladder.services import AliasInput, LevelInput, ladder_document_put
from tests.factories import CompanyFactory


def _ladder(company, framework, n=3):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder_document_put(
        company=company,
        framework=framework,
        levels=[
            LevelInput(
                title=f"Product Role {i}",
                code=f"R{i}",
                reference_level=refs["pm"],
                aliases=[AliasInput(title=f"Role Alias {i}")],
            )
            for i in range(n)
        ],
    )
    return company.ladders.get()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies/",
        "/api/v1/companies/{slug}/",
        "/api/v1/companies/{slug}/ladders/product-management/",
        "/api/v1/levels/",
        "/api/v1/levels/?company={slug}",
        "/api/v1/levels/{level}/",
        "/api/v1/aliases/",
        "/api/v1/aliases/{alias}/",
        "/api/v1/frameworks/",
        "/api/v1/frameworks/product-management/",
    ],
)
def test_query_count_does_not_grow_with_rows(read_client, org, framework, url):
    counts = []
    for n in (1, 50):
        Company.objects.filter(organization=org).delete()
        companies = [CompanyFactory(organization=org) for _ in range(n)]
        ladder = _ladder(companies[0], framework, n)
        level = ladder.levels.first()
        filled = url.format(slug=companies[0].slug, level=level.pk, alias=level.aliases.first().pk)
        counts.append(_queries(read_client, filled))
    assert counts[0] == counts[1], counts

"""What every admin page shares: each changelist and add page renders, searches and filters, with a
number of queries that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from ladder.models import Company, Ladder, Level, TitleAlias
from tests.conftest import count_queries
from tests.factories import CompanyFactory


def test_every_changelist_and_add_page_renders(admin_client_, demo):
    for model in admin.site._registry:
        meta = model._meta
        changelist = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.model_name
        add = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert add.status_code in (200, 403), meta.model_name
        obj = model.objects.first()
        if obj is not None:
            change = admin_client_.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
            assert change.status_code == 200, meta.model_name


def test_changelists_search_and_filter(admin_client_, demo):
    url = reverse("admin:ladder_level_changelist")
    response = admin_client_.get(url, {"q": "globex"})
    assert response.status_code == 200
    assert "Group Product Manager" in response.content.decode()
    response = admin_client_.get(url, {"track__exact": "management", "is_active__exact": "1"})
    assert response.status_code == 200


def _count(client, url) -> int:
    response, count = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    return count


@pytest.mark.parametrize("model", [Ladder, Level, TitleAlias, Company])
def test_changelist_query_count_does_not_grow(admin_client_, framework, model):
    url = reverse(f"admin:ladder_{model._meta.model_name}_changelist")
    counts = []
    for n in (1, 30):
        for i in range(n):
            company = CompanyFactory()
            ladder = Ladder.objects.create(company=company, framework=framework)
            level = Level.objects.create(
                ladder=ladder, title=f"Role {i}", rank=1, reference_level=framework.reference_levels.first()
            )
            TitleAlias.objects.create(level=level, title=f"Alias {i}")
        counts.append(_count(admin_client_, url))
        Company.objects.all().delete()
    assert counts[0] == counts[1], counts

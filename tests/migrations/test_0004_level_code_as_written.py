"""Migration 0004: the canonical code column is filled from the codes stored before it existed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ladder", "0003_framework_operators_company_slug_per_org")]
AFTER = [("ladder", "0004_level_code_as_written")]


@pytest.mark.django_db(transaction=True)
def test_canonical_codes_are_filled_for_existing_levels():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organization = apps.get_model("ladder", "Organization")
    Company = apps.get_model("ladder", "Company")
    Framework = apps.get_model("ladder", "Framework")
    Ladder = apps.get_model("ladder", "Ladder")
    Level = apps.get_model("ladder", "Level")
    org = Organization.objects.create(slug="m-org", name="M")
    company = Company.objects.create(organization=org, slug="m-co", name="M Co")
    framework = Framework.objects.create(slug="m-fw", name="M FW")
    ladder = Ladder.objects.create(company=company, framework=framework)
    # Before 0003, codes were stored in canonical form already.
    Level.objects.create(ladder=ladder, title="PM", title_normalized="product manager", code="6364", rank=1)
    Level.objects.create(ladder=ladder, title="Senior PM", title_normalized="senior product manager", rank=2)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Level = apps.get_model("ladder", "Level")
    assert dict(Level.objects.values_list("title", "code_canonical")) == {"PM": "6364", "Senior PM": None}

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

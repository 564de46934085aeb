"""Merging a fixture's ladders (``ladder.fixtures_loader.ladders``): loading again never undoes what
people changed, and brings in what the files changed."""

from __future__ import annotations

import copy
from io import StringIO

from django.core.management import call_command

from ladder.choices import KeyRole
from ladder.fixtures_loader import load_companies
from ladder.models import ChangeRecord, Company, Level, TitleAlias
from tests.conftest import key_client
from tests.factories import make_key


def test_load_fixtures_keeps_api_edits_to_a_demo_company(demo):
    client = key_client(make_key(demo["acme"].organization, KeyRole.WRITE)[1])
    lead = Level.objects.get(ladder__company__slug="acme", external_id="JP-0012")
    added = client.post("/api/v1/aliases/", {"level": lead.pk, "title": "Staff PM"}, format="json")
    assert added.status_code == 201, added.json()
    renamed = client.patch(f"/api/v1/levels/{lead.pk}/", {"title": "Principal Product Manager"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    company = client.patch("/api/v1/companies/acme/", {"name": "Acme Analytics GmbH"}, format="json")
    assert company.status_code == 200
    gone = TitleAlias.objects.get(level__ladder__company__slug="acme", title="Head of Product Management")
    assert client.delete(f"/api/v1/aliases/{gone.pk}/").status_code == 204
    version = lead.ladder.__class__.objects.get(pk=lead.ladder_id).version
    records = ChangeRecord.objects.filter(company=demo["acme"]).count()

    out = StringIO()
    call_command("load_fixtures", stdout=out)

    lead.refresh_from_db()
    assert lead.title == "Principal Product Manager"
    assert set(lead.aliases.values_list("title", flat=True)) == {"Product Lead", "Staff PM"}
    assert Company.objects.get(slug="acme").name == "Acme Analytics GmbH"
    assert not TitleAlias.objects.filter(title="Head of Product Management").exists()  # a deletion is an edit too
    assert lead.ladder.__class__.objects.get(pk=lead.ladder_id).version == version
    assert ChangeRecord.objects.filter(company=demo["acme"]).count() == records  # nothing was written
    assert "demo: 0 created, 0 updated" in out.getvalue()


def test_fixture_changes_are_applied_where_nobody_edited(demo, demo_data):
    data = demo_data
    level = Level.objects.get(ladder__company__slug="acme", external_id="JP-0012")
    level.description = "Edited by an HR admin."
    level.save()
    changed = copy.deepcopy(data)
    acme = changed["organizations"][0]["companies"][0]
    assert acme["slug"] == "acme"
    levels = acme["ladders"][0]["levels"]
    levels[0]["description"] = "A new description from the fixture."
    levels[1]["description"] = "The fixture changed this one too."
    levels[1]["aliases"].append("Senior Product Lead")
    levels.append({"title": "Chief Product Officer", "external_id": "JP-0014", "track": "executive"})
    _, report = load_companies(changed, "demo")

    first = Level.objects.get(ladder__company__slug="acme", external_id="JP-0011")
    assert first.description == "A new description from the fixture."
    level.refresh_from_db()
    assert level.description == "Edited by an HR admin."  # the person's edit wins
    assert "Senior Product Lead" in level.aliases.values_list("title", flat=True)
    cpo = Level.objects.get(ladder__company__slug="acme", external_id="JP-0014")
    assert cpo.reference_level.slug == "cpo" and cpo.anchor == "inferred"
    assert any("JP-0012 (description" in line for line in report.kept), report.kept
    assert any("JP-0011 (description)" in line for line in report.updated), report.updated
    record = ChangeRecord.objects.filter(object_type="level", object_id=first.pk, action="update").latest("id")
    assert record.actor == "fixtures:demo"

    # The fixture drops a level nobody touched: it is retired (deactivated), never deleted.
    del levels[-1]
    _, report = load_companies(changed, "demo")
    cpo.refresh_from_db()
    assert cpo.is_active is False
    assert report.retired

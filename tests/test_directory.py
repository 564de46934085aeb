"""The per-process key and ladder lookups (``ladder.directory``): no queries while nothing changed,
and never a revoked key or an old ladder once something did."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from ladder import directory
from ladder.apikeys import verified
from ladder.choices import KeyRole, MemberRole
from ladder.models import (
    ApiKey,
    Company,
    Membership,
    Organization,
)
from ladder.services import LevelInput, ladder_document_put
from ladder.translation.cache import local_snapshots
from ladder.translation.ladders import ladder_lookups
from tests.conftest import count_queries, key_client
from tests.factories import CompanyFactory, UserFactory, make_key

URL = "/api/v1/translate"


QUERY = {"source": "globex", "target": "parallax", "title": "Sr. PM"}


@pytest.fixture
def demo_key(demo):
    return make_key(Organization.objects.get(slug="demo"), KeyRole.READ, name="cached")


def _queries(client, url=URL, query=QUERY):
    return count_queries(lambda: client.get(url, query))


def test_a_warm_translation_runs_no_query(demo_key):
    client = key_client(demo_key[1])
    local_snapshots.clear()
    cache.clear()
    first, cold = _queries(client)
    assert first.status_code == 200 and cold == 4  # key, ladders, and the two snapshots
    again, warm = _queries(client)
    assert again.status_code == 200 and warm == 0
    assert again.json() == first.json()


def test_a_revoked_key_is_refused_at_its_next_request(demo_key):
    api_key, key = demo_key
    client = key_client(key)
    assert client.get(URL, QUERY).status_code == 200
    assert len(verified) == 1
    api_key.revoked = True
    api_key.save()
    refused = client.get(URL, QUERY)
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


def test_a_key_revoked_by_another_process_is_refused_once_the_generation_changes(demo_key):
    """Another process's revocation arrives as a new shared generation (a plain UPDATE sends no signal)."""
    api_key, key = demo_key
    client = key_client(key)
    assert client.get(URL, QUERY).status_code == 200
    ApiKey.objects.filter(pk=api_key.pk).update(revoked=True)
    assert client.get(URL, QUERY).status_code == 200  # this process has not been told yet
    cache.set(directory.GENERATION_KEY, "replaced-by-another-process", timeout=None)
    assert client.get(URL, QUERY).status_code == 401


def test_an_expired_key_is_refused_even_when_remembered(demo_key):
    from datetime import timedelta

    from django.utils import timezone

    _api_key, key = demo_key
    client = key_client(key)
    assert client.get(URL, QUERY).status_code == 200
    remembered = next(iter(verified._data.values()))[2]
    remembered.expiry_date = timezone.now() - timedelta(seconds=1)  # the clock passed it, nothing was saved
    refused = client.get(URL, QUERY)
    assert refused.status_code == 401 and refused.json()["message"] == "This API key has expired."


def test_changes_to_ladders_and_companies_reach_the_next_lookup(demo_key, demo):
    client = key_client(demo_key[1])
    assert client.get(URL, QUERY).json()["results"][0]["target_level"]["code"] == "L5"
    assert len(ladder_lookups) == 2
    owner = key_client(make_key(Organization.objects.get(slug="open-data"), KeyRole.WRITE)[1])
    doc = owner.get("/api/v1/companies/parallax/ladders/product-management/").json()
    for level in doc["levels"]:
        if level["code"] == "L5":
            level["code"] = "L55"
    assert owner.put("/api/v1/companies/parallax/ladders/product-management/", doc, format="json").status_code == 200
    assert client.get(URL, QUERY).json()["results"][0]["target_level"]["code"] == "L55"

    parallax = Company.objects.get(slug="parallax")
    parallax.is_public = False
    parallax.save()
    hidden = client.get(URL, QUERY)
    assert hidden.status_code == 404 and hidden.json()["code"] == "company_not_found"


def test_an_unreachable_cache_serves_from_the_database(demo_key, monkeypatch):
    client = key_client(demo_key[1])
    assert client.get(URL, QUERY).status_code == 200

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(directory.cache, "get", down)
    response, queries = _queries(client)
    assert response.status_code == 200
    assert queries >= 2  # the key and the ladders are read again, not taken from a table nobody checks


def test_without_a_shared_generation_every_request_reads_the_database(demo_key, settings):
    settings.PMLADDER_DIRECTORY_CACHE = False  # several workers without Redis: no process may remember
    client = key_client(demo_key[1])
    assert client.get(URL, QUERY).status_code == 200
    response, queries = _queries(client)
    assert response.status_code == 200
    assert queries == 2  # the key and the ladders; the snapshots are versioned, so they stay cached


def test_remembered_parameters_never_let_an_invalid_query_through(demo_key):
    client = key_client(demo_key[1])
    assert client.get(URL, QUERY).status_code == 200  # every parameter now remembered as valid
    missing = client.get(URL, {"source": "globex", "target": "parallax"})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "title"
    unknown = client.get(URL, {**QUERY, "colour": "blue"})
    assert unknown.status_code == 400
    assert [(e["code"], e["field"]) for e in unknown.json()["errors"]] == [("unknown_query_parameter", "colour")]
    too_long = client.get(URL, {**QUERY, "source": "g" * 65})
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["code"] == "max_length"
    assert client.get(URL, {**QUERY, "as_of": "2025-02-30"}).status_code == 400
    dated = client.get(URL, {**QUERY, "as_of": "2025-01-01"})
    assert dated.status_code == 200 and dated.json()["as_of"] == "2025-01-01"
    assert client.get(URL, {**QUERY, "as_of": "2025-01-01"}).json()["as_of"] == "2025-01-01"


def test_the_slug_rule_holds_per_caller_when_ladder_lookups_are_remembered(framework, org, other_org):
    """Two users who read the same organizations but belong first to different ones mean different
    companies by one slug; the per-process lookup table must not answer one with the other's."""
    from django.test import override_settings

    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for owner, title in ((org, "Own Org Senior"), (other_org, "Other Org Senior")):
        twin = CompanyFactory(organization=owner, slug="twin")
        ladder_document_put(
            company=twin, framework=framework, levels=[LevelInput(title=title, reference_level=refs["senior-pm"])]
        )
    answers = {}
    with override_settings(PMLADDER_DIRECTORY_CACHE=True):
        for home, viewer_of in ((org, other_org), (other_org, org)):
            user = UserFactory(is_staff=True)
            Membership.objects.create(user=user, organization=home, role=MemberRole.EDITOR)
            Membership.objects.create(user=user, organization=viewer_of, role=MemberRole.VIEWER)
            client = APIClient()
            client.force_login(user)
            query = {"source": "twin", "target": "reference", "title": "Senior Product Manager"}
            result = client.get("/api/v1/translate", query).json()["results"][0]
            answers[home.slug] = result["source_level"]["title"]
    assert answers == {org.slug: "Own Org Senior", other_org.slug: "Other Org Senior"}

"""The comparison as data: ``ladder.compare`` behind ``GET /api/v1/compare`` (``ladder.api.compare``)."""

from __future__ import annotations

import pytest

from ladder.choices import KeyRole
from tests.conftest import clear_caches, count_queries, key_client
from tests.factories import make_key, make_ladder, make_ladders


def _columns(body):
    return {c["key"]: c for c in body["columns"]}


def test_boxes_follow_the_spans_and_anchors(read_client, catalog):
    response = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["key"] for c in body["columns"]] == ["reference", "alpha-corp", "beta-gmbh"]
    assert body["scale"] == {"from": 0.5, "to": 7.5}
    reference = _columns(body)["reference"]
    assert {b["reference_level"]: (b["scale_from"], b["scale_to"]) for b in reference["boxes"]}["senior-pm"] == (
        2.5,
        3.5,
    )
    beta = {b["title"]: b for b in _columns(body)["beta-gmbh"]["boxes"]}
    assert (beta["Product Manager"]["scale_from"], beta["Product Manager"]["scale_to"]) == (1.0, 2.5)
    assert (beta["Head of Product"]["scale_from"], beta["Head of Product"]["scale_to"]) == (3.5, 6.5)
    senior = beta["Senior Product Manager"]
    assert senior["anchor"] == "inferred" and senior["reference_level"] == "senior-pm"
    assert (senior["scale_from"], senior["scale_to"]) == (2.5, 3.5)
    # Tracks side by side: individual contributors and leadership in different lanes.
    assert beta["Head of Product"]["lane"] != beta["Product Manager"]["lane"]
    assert _columns(body)["beta-gmbh"]["lanes"] == 2
    alpha = {b["code"]: b for b in _columns(body)["alpha-corp"]["boxes"]}
    assert alpha["L3"]["aliases"] == ["APM"]
    assert alpha["L6"]["provenance"]["disagreements"] == [{"url": "https://example.org/b", "claim": "L6 is Lead PM"}]
    assert _columns(body)["alpha-corp"]["sources"][0]["url"] == "https://example.org/ladders/alpha"


def test_links_are_what_translate_answers(read_client, catalog):
    body = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh"}).json()
    boxes = {b["id"]: b for c in body["columns"] for b in c["boxes"]}
    pairs = {(link["source"].split(":")[0], link["target"].split(":")[0]) for link in body["links"]}
    # Adjacent columns only, both ways.
    assert pairs == {
        ("reference", "alpha-corp"),
        ("alpha-corp", "reference"),
        ("alpha-corp", "beta-gmbh"),
        ("beta-gmbh", "alpha-corp"),
    }
    best = [link for link in body["links"] if link["best"] and link["source"].startswith("alpha-corp:")]
    best = [link for link in best if link["target"].startswith("beta-gmbh:")]
    assert len(best) == 5
    for link in best:
        source = boxes[link["source"]]
        answer = read_client.get(
            "/api/v1/translate",
            {"source": "alpha-corp", "target": "beta-gmbh", "title": source["title"], "code": source["code"]},
        ).json()["results"][0]
        assert answer["target_level"]["id"] == boxes[link["target"]]["level_id"]
        assert answer["confidence"] == link["confidence"]
        assert answer["basis"] == link["basis"]
    everything = read_client.get("/api/v1/compare", {"companies": "alpha-corp,beta-gmbh", "links": "all"}).json()
    assert any(
        link["source"].startswith("reference:") and link["target"].startswith("beta-gmbh:")
        for link in everything["links"]
    )


def test_another_tenants_private_company_is_never_shown(read_client, org, other_company, company, framework, catalog):
    make_ladder(other_company, framework, [("Product Manager", "pm")])
    make_ladder(company, framework, [("Product Manager", "pm")])
    hidden = read_client.get("/api/v1/compare", {"companies": f"alpha-corp,{other_company.slug}"})
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "company_not_found"
    # Answered exactly like a company that does not exist: no existence leak.
    missing = read_client.get("/api/v1/compare", {"companies": "alpha-corp,no-such-co"}).json()
    assert hidden.json()["message"].replace(other_company.slug, "X") == missing["message"].replace("no-such-co", "X")
    own = read_client.get("/api/v1/compare", {"companies": f"{company.slug},alpha-corp"})
    assert own.status_code == 200
    assert [c["key"] for c in own.json()["columns"]] == ["reference", company.slug, "alpha-corp"]
    # The other tenant sees its own company but not ours.
    other = key_client(make_key(other_company.organization, KeyRole.READ, name="other")[1])
    assert other.get("/api/v1/compare", {"companies": other_company.slug}).status_code == 200
    assert other.get("/api/v1/compare", {"companies": company.slug}).status_code == 404


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"companies": ",".join(f"c{i}" for i in range(9))}, 400, "too_many_companies"),
        ({"companies": "alpha-corp,<script>"}, 400, "validation_error"),
        ({"companies": " , ,"}, 400, "validation_error"),
        ({}, 400, "validation_error"),
        ({"companies": "alpha-corp", "framework": "nope"}, 404, "framework_not_found"),
        ({"companies": "alpha-corp", "as_of": "yesterday"}, 400, "validation_error"),
        ({"companies": "alpha-corp", "links": "some"}, 400, "validation_error"),
        ({"companies": "alpha-corp", "key": "secret"}, 400, "unknown_query_parameter"),  # keys never go in URLs
        ({"companies": "x" * 1001}, 400, "validation_error"),
    ],
)
def test_bad_queries_are_clear_errors(read_client, catalog, query, status, code):
    response = read_client.get("/api/v1/compare", query)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_every_schema_valid_list_of_slugs_is_accepted(read_client, catalog):
    for value in ("alpha-corp", " alpha-corp , beta-gmbh,", ",,alpha-corp,,gamma-bank ,", "alpha-corp,alpha-corp"):
        assert read_client.get("/api/v1/compare", {"companies": value}).status_code == 200, value
    assert read_client.get("/api/v1/compare", {"companies": "alpha-corp beta-gmbh"}).status_code == 400
    assert read_client.get("/api/v1/compare", {"companies": "alpha-corp\n"}).status_code == 400


def test_compare_needs_authentication(anon_client, catalog):
    assert anon_client.get("/api/v1/compare", {"companies": "alpha-corp"}).status_code == 401


def test_query_count_does_not_grow_with_levels(read_client, org, framework):
    counts = []
    for n in (2, 40):
        slugs = make_ladders(org, framework, companies=3, levels=n, prefix="co")
        clear_caches()  # both measurements start from cold caches
        response, count = count_queries(
            lambda slugs=slugs: read_client.get("/api/v1/compare", {"companies": ",".join(slugs)})
        )
        assert response.status_code == 200
        assert sum(len(c["boxes"]) for c in response.json()["columns"][1:]) == 3 * n
        counts.append(count)
    assert counts[0] == counts[1], counts

"""What every resource view shares: ETags and If-Match (``ConditionalMixin``), no lost update between
two writers, and a query budget that does not grow with the rows."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ladder.models import ChangeRecord, Company, Level, TitleAlias
from tests.conftest import DOC_URL, count_queries, key_client, on_postgresql
from tests.conftest import THREE_LEVELS as LADDER
from tests.factories import CompanyFactory, make_key
from tests.factories import ladder_with_levels as _ladder


def _queries(client, url) -> int:
    response, count = count_queries(lambda: client.get(url))
    assert response.status_code == 200, response.content
    return count


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


def test_get_gives_an_etag_and_if_none_match_answers_304(write_client, ladder_url, company):
    level = Level.objects.get(code="L5")
    alias = TitleAlias.objects.get(title="PM")
    for url in (
        ladder_url,
        f"/api/v1/companies/{company.slug}/",
        f"/api/v1/levels/{level.pk}/",
        f"/api/v1/aliases/{alias.pk}/",
    ):
        first = write_client.get(url)
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"'), url
        again = write_client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and not again.content, url
        assert write_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_stale_if_match_is_412_and_changes_nothing(write_client, ladder_url, company):
    etag = write_client.get(ladder_url)["ETag"]
    body = write_client.get(ladder_url).json()
    body["levels"][0]["description"] = "first writer"
    ok = write_client.put(ladder_url, body, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    body["levels"][0]["description"] = "second writer, stale"
    stale = write_client.put(ladder_url, body, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert stale["ETag"] == ok["ETag"]
    assert write_client.get(ladder_url).json()["levels"][0]["description"] == "first writer"


@pytest.mark.parametrize("kind", ["company", "level", "alias"])
def test_if_match_on_patch_and_delete(write_client, ladder_url, company, kind):
    url = {
        "company": f"/api/v1/companies/{company.slug}/",
        "level": f"/api/v1/levels/{Level.objects.get(code='L6').pk}/",
        "alias": f"/api/v1/aliases/{TitleAlias.objects.get(title='PM').pk}/",
    }[kind]
    change = {"company": {"name": "Renamed"}, "level": {"description": "x"}, "alias": {"title": "Prod Mgr"}}[kind]
    etag = write_client.get(url)["ETag"]
    assert write_client.patch(url, change, format="json", HTTP_IF_MATCH='"nope"').status_code == 412
    updated = write_client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200
    assert write_client.delete(url, HTTP_IF_MATCH=etag).status_code == 412  # the old ETag is stale now
    assert write_client.delete(url, HTTP_IF_MATCH=updated["ETag"]).status_code == 204


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_never_lose_an_update(framework, org, company):
    """Two clients read-modify-write one ladder with If-Match, 200 rounds each."""
    url = DOC_URL.format(company.slug)
    _, key = make_key(org)
    assert key_client(key).put(url, LADDER, format="json").status_code == 201
    outcomes: dict[str, list] = {"A": [], "B": []}
    barrier = threading.Barrier(2)

    def writer(name: str) -> None:
        client = key_client(key)
        barrier.wait()
        try:
            for round_no in range(200):
                read = client.get(url)
                body = read.json()
                title = f"Writer {name} round {round_no}"
                body["levels"][round_no % 3]["aliases"].append(title)
                response = client.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
                assert response.status_code in (200, 412), response.content[:300]
                outcomes[name].append((title, response.status_code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes["A"]) == len(outcomes["B"]) == 200
    won = {title for results in outcomes.values() for title, status in results if status == 200}
    lost = [title for results in outcomes.values() for title, status in results if status == 412]
    final = key_client(key).get(url).json()
    final_aliases = {a["title"] for lv in final["levels"] for a in lv["aliases"]} - {"PM", "Sr. PM"}
    assert final_aliases == won  # every successful write is there, nothing else
    recorded = set(
        ChangeRecord.objects.filter(object_type="alias", action="create").values_list("after__title", flat=True)
    ) - {"PM", "Sr. PM"}
    assert recorded == won
    assert len(won) + len(lost) == 400
    assert final["version"] == 1 + len(won)

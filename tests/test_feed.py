"""The changes feed: every change in a stable order, paged by cursor, tenancy-scoped, safe to poll."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connections, transaction

from ladder import services
from ladder.models import ChangeRecord, Company, Level
from tests.conftest import count_queries, key_client, on_postgresql
from tests.factories import make_key

FEED = "/api/v1/changes/"
DOC = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm"},
    ]
}


def drain(client, cursor=None, page_size=100, **query):
    """Every entry from ``cursor`` on, following ``next_cursor``; returns (entries, last cursor)."""
    entries = []
    while True:
        params = {"page_size": page_size, **query}
        if cursor:
            params["cursor"] = cursor
        response = client.get(FEED, params)
        assert response.status_code == 200, response.content
        body = response.json()
        entries.extend(body["results"])
        cursor = body["next_cursor"] or cursor
        if not body["has_more"]:
            return entries, cursor


def test_the_feed_lists_every_change_in_order_with_tombstones(write_client, framework, org):
    created = write_client.post("/api/v1/companies/", {"slug": "acme", "name": "Acme"}, format="json")
    assert created.status_code == 201
    url = "/api/v1/companies/acme/ladders/product-management/"
    assert write_client.put(url, DOC, format="json").status_code == 201
    level = Level.objects.get(code="L5")
    write_client.patch(f"/api/v1/levels/{level.pk}/", {"title": "Senior PM"}, format="json")
    write_client.delete(f"/api/v1/levels/{level.pk}/")
    assert write_client.delete("/api/v1/companies/acme/").status_code == 204

    entries, _ = drain(write_client)
    types = [e["type"] for e in entries]
    assert types[0] == "company.created"
    assert types[1:3] == ["ladder.created", "level.created"]
    assert types.count("ladder_version.created") == 3
    assert types[-1] == "company.archived"
    rename = next(e for e in entries if e["type"] == "level.updated" and "title" in e["fields"])
    assert rename["object"] == {
        "type": "level",
        "id": level.pk,
        "company": "acme",
        "framework": "product-management",
        "level_id": level.pk,
    }
    assert rename["ladder_version"] == 2 and rename["tombstone"] is False
    assert rename["url"] == f"/api/v1/levels/{level.pk}/"
    deactivation = [e for e in entries if e["type"] == "level.updated"][-1]
    assert deactivation["fields"] == ["is_active"] and deactivation["tombstone"] is True
    assert entries[-1]["tombstone"] is True and entries[-1]["url"] == "/api/v1/companies/acme/"
    version = [e for e in entries if e["type"] == "ladder_version.created"][-1]
    assert version["url"] == f"{url}versions/3/" and version["ladder_version"] == 3
    assert len({e["id"] for e in entries}) == len(entries)
    assert entries[0]["actor"] == "api-key:test"


def test_cursor_pages_are_stable_and_resume_where_they_stopped(write_client, framework, company):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    write_client.put(url, DOC, format="json")
    everything, cursor = drain(write_client, page_size=500)
    small_pages, _ = drain(write_client, page_size=2)
    assert [e["id"] for e in small_pages] == [e["id"] for e in everything]
    # Nothing new: an empty page that keeps the cursor.
    empty = write_client.get(FEED, {"cursor": cursor}).json()
    assert empty == {"results": [], "next_cursor": cursor, "has_more": False}
    body = {"levels": [*DOC["levels"], {"title": "Group Product Manager", "reference_level": "group-pm"}]}
    write_client.put(url, body, format="json")
    new, _ = drain(write_client, cursor=cursor)
    assert [e["type"] for e in new] == ["level.created", "ladder_version.created"]
    # A cursor is any entry's id.
    resumed, _ = drain(write_client, cursor=everything[2]["id"])
    assert [e["id"] for e in resumed] == [e["id"] for e in [*everything[3:], *new]]


def test_since_and_bad_input(write_client, framework, company):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    write_client.put(url, DOC, format="json")
    ChangeRecord.objects.update(changed_at="2020-01-01T00:00:00Z")
    write_client.put(url, {"levels": DOC["levels"][:1]}, format="json")
    recent, _ = drain(write_client, since="2021-01-01T00:00:00Z")
    assert [e["type"] for e in recent] == ["level.updated", "ladder_version.created"]
    later = write_client.get(FEED, {"since": "2099-01-01T00:00:00Z"}).json()
    assert later == {"results": [], "next_cursor": None, "has_more": False}
    for bad in ({"cursor": "nope"}, {"cursor": "c1.!!"}, {"cursor": ""}, {"since": "yesterday"}, {"page_size": "0"}):
        response = write_client.get(FEED, bad)
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == next(iter(bad))


def test_the_feed_is_tenancy_scoped(write_client, other_write_client, framework, company, other_public_company):
    write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", DOC, format="json")
    other_write_client.put(
        f"/api/v1/companies/{other_public_company.slug}/ladders/product-management/", DOC, format="json"
    )
    mine = {e["object"]["company"] for e in drain(write_client)[0]}
    theirs = {e["object"]["company"] for e in drain(other_write_client)[0]}
    assert mine == {company.slug, other_public_company.slug}  # a public company's changes are visible
    assert theirs == {other_public_company.slug}  # ours is private
    assert key_client("nope").get(FEED).status_code in (401, 403)


def test_an_archived_company_is_a_tombstone_in_updated_since_and_keeps_its_history(
    write_client, other_write_client, framework, company
):
    write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", DOC, format="json")
    assert write_client.delete(f"/api/v1/companies/{company.slug}/").status_code == 204
    listed = write_client.get("/api/v1/companies/", {"updated_since": "2000-01-01T00:00:00Z"}).json()["results"]
    tombstone = next(c for c in listed if c["slug"] == company.slug)
    assert tombstone["is_archived"] is True and tombstone["archived_at"] is not None
    assert company.slug not in {c["slug"] for c in write_client.get("/api/v1/companies/").json()["results"]}
    assert write_client.get(f"/api/v1/companies/{company.slug}/").status_code == 404
    history = write_client.get(f"/api/v1/companies/{company.slug}/history/")
    assert history.status_code == 200
    assert history.json()["results"][0]["action"] == "archive"
    assert other_write_client.get(f"/api/v1/companies/{company.slug}/history/").status_code == 404
    others = other_write_client.get("/api/v1/companies/", {"updated_since": "2000-01-01T00:00:00Z"}).json()
    assert company.slug not in {c["slug"] for c in others["results"]}
    services.company_restore(company=Company.objects.get(pk=company.pk))
    entries, _ = drain(write_client)
    assert [e["type"] for e in entries][-2:] == ["company.archived", "company.restored"]


def test_a_page_of_the_feed_costs_a_constant_number_of_queries(write_client, framework, company):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    write_client.put(url, DOC, format="json")
    write_client.get(FEED, {"page_size": 1})  # the key is verified once, then remembered (ladder.directory)
    counts = []
    for size in (1, 50):
        response, count = count_queries(lambda size=size: write_client.get(FEED, {"page_size": size}))
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_cursor_never_passes_a_change_that_commits_later(framework, org, company):
    """A transaction that wrote first but commits last: its entry must not be skipped."""
    _, key = make_key(org)
    client = key_client(key)
    _, cursor = drain(client)
    wrote, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                services.company_create(organization_id=org.pk, values={"slug": "slow", "name": "Slow"})
                wrote.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert wrote.wait(10)
    services.company_create(organization_id=org.pk, values={"slug": "fast", "name": "Fast"})  # commits first
    early, cursor_after = drain(client, cursor=cursor)
    # The fast entry is held back while the older transaction runs (it would sort after it anyway).
    assert [e["object"]["company"] for e in early] == []
    release.set()
    thread.join()
    late, _ = drain(client, cursor=cursor_after)
    assert [e["object"]["company"] for e in late] == ["slow", "fast"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_a_poller_see_every_change_exactly_once(framework, org):
    """Eight writers commit in random order while a poller follows the feed; nothing is lost or repeated."""
    _, key = make_key(org)
    client = key_client(key)
    _, start = drain(client)
    stop = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rng = random.Random(n)
        try:
            for i in range(15):
                with transaction.atomic():
                    services.company_create(organization_id=org.pk, values={"slug": f"w{n}-{i}", "name": "W"})
                    time.sleep(rng.random() * 0.02)  # hold the transaction open for a while
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def poller() -> None:
        cursor = start
        try:
            while True:
                done = stop.is_set()
                entries, cursor = drain(client, cursor=cursor, page_size=7)
                seen.extend(e["id"] for e in entries)
                if done:
                    return
                time.sleep(0.005)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    reader = threading.Thread(target=poller)
    reader.start()
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    assert not errors, errors
    time.sleep(0.2)
    stop.set()
    reader.join()
    expected = set(
        ChangeRecord.objects.filter(object_type="company", company__slug__startswith="w").values_list("id", flat=True)
    )
    assert len(expected) == 120
    from ladder.feed import decode_cursor

    seen_ids = [decode_cursor(entry)[1] for entry in seen]
    assert len(seen_ids) == len(set(seen_ids))  # nothing repeated
    assert expected <= set(seen_ids)  # nothing skipped

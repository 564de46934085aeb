"""Writes that race each other on PostgreSQL: one lock order (company, ladder, levels) means no
deadlock."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ladder.models import Ladder, Level
from tests.conftest import DOC_URL, key_client, on_postgresql
from tests.factories import make_key

LADDER = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm"},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm"},
    ]
}


def _race(first, second) -> list:
    """Run two callables at the same moment on their own connections; return both results."""
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(index, fn):
        barrier.wait()
        try:
            results[index] = fn()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rival", ["put_document", "create_level"])
def test_deleting_a_ladder_races_other_writes_without_deadlock(framework, org, company, rival):
    """50 rounds of DELETE of a ladder against a PUT of it (or a new level): no deadlock, no 500."""
    _, key = make_key(org)
    url = DOC_URL.format(company.slug)
    assert key_client(key).put(url, LADDER, format="json").status_code == 201
    statuses: list[tuple[int, int]] = []
    for round_no in range(50):
        deleter, writer = key_client(key), key_client(key)
        if rival == "put_document":
            body = {
                "levels": [*LADDER["levels"], {"title": f"Principal PM {round_no}", "reference_level": "principal-pm"}]
            }

            def write(body=body, writer=writer):
                return writer.put(url, body, format="json").status_code

        else:

            def write(round_no=round_no, writer=writer):
                body = {
                    "company": company.slug,
                    "framework": "product-management",
                    "title": f"Staff PM {round_no}",
                    "code": f"S{round_no}",
                    "track": "ic",
                }
                return writer.post("/api/v1/levels/", body, format="json").status_code

        deleted, written = _race(lambda deleter=deleter: deleter.delete(url).status_code, write)
        statuses.append((deleted, written))
        # Put the ladder back for the next round, whoever won.
        key_client(key).put(url, LADDER, format="json")
    assert all(d in (204, 404) for d, _ in statuses), statuses
    assert all(w in (200, 201) for _, w in statuses), statuses
    assert Ladder.objects.filter(company=company).count() == 1
    if rival == "create_level":
        assert Level.objects.filter(ladder__company=company, title__startswith="Staff PM").count() == 50

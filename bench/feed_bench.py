"""Changes feed benchmark: a page of 500 entries with 100,000 changes stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmladder_feed_bench \\
        DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=. .venv/bin/python -m bench.feed_bench

Creates the database's tables (migrate), 20 companies in two organizations (half of them public) and
100,000 change records spread over them (once; a second run reuses them), then times
``GET /api/v1/changes/?page_size=500`` through Django's full request stack (middleware, API-key
authentication, throttles, serialisation) in this process, as server time: from the first page, from
a cursor in the middle, from the last page (empty tail), and with ``since``. Prints the median and
95th percentile of 50 requests each and the query plan of the page query.
"""

from __future__ import annotations

import os
import statistics
import time

import django

TOTAL = 100_000
RUNS = 50


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("THROTTLE_READ", "100000000/min")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ladder.choices import KeyRole
    from ladder.feed import decode_cursor
    from ladder.models import ApiKey, ChangeRecord, Company, Organization

    call_command("migrate", verbosity=0)
    home, _ = Organization.objects.get_or_create(slug="bench-home", defaults={"name": "Bench home"})
    other, _ = Organization.objects.get_or_create(slug="bench-other", defaults={"name": "Bench other"})
    companies = []
    for i in range(20):
        company, _ = Company.objects.get_or_create(
            slug=f"bench-co-{i}",
            defaults={"organization": home if i % 2 else other, "name": f"Bench {i}", "is_public": i % 4 == 0},
        )
        companies.append(company)
    have = ChangeRecord.objects.filter(company__slug__startswith="bench-co-").count()
    if have < TOTAL:
        now = timezone.now()
        batch = []
        for n in range(TOTAL - have):
            company = companies[n % len(companies)]
            batch.append(
                ChangeRecord(
                    changed_at=now,
                    action="update",
                    object_type="level",
                    object_id=n,
                    object_repr=f"Level {n}",
                    company=company,
                    ladder_id=company.pk,
                    level_id=n,
                    actor="bench",
                    before={"title": "Old"},
                    after={"title": "New"},
                    ladder_version=n // 10,
                )
            )
            if len(batch) == 5000:
                ChangeRecord.objects.bulk_create(batch)
                batch = []
        if batch:
            ChangeRecord.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ChangeRecord._meta.db_table}")
    _, key = ApiKey.objects.create_key(name="feed-bench", organization=home, role=KeyRole.READ)
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    visible = ChangeRecord.objects.filter(company__slug__startswith="bench-co-").count()
    print(f"{visible} change records stored; database {connection.vendor}")

    first = client.get("/api/v1/changes/", {"page_size": 500}).json()
    middle_cursor = None
    cursor = first["next_cursor"]
    pages = 1
    while True:
        page = client.get("/api/v1/changes/", {"page_size": 500, "cursor": cursor}).json()
        pages += 1
        if pages == 60:
            middle_cursor = cursor
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    last_cursor = page["next_cursor"]
    print(f"{pages} pages of 500 visible to the key's organization; last position {decode_cursor(last_cursor)}")

    cases = {
        "first page": {"page_size": 500},
        "middle page (cursor)": {"page_size": 500, "cursor": middle_cursor},
        "tail (nothing new)": {"page_size": 500, "cursor": last_cursor},
        "since (first page)": {"page_size": 500, "since": "2000-01-01T00:00:00Z"},
    }
    for name, params in cases.items():
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get("/api/v1/changes/", params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        count = len(response.json()["results"])
        print(
            f"{name:24s} {count:4d} entries  median {statistics.median(timings):6.1f} ms  "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:6.1f} ms"
        )

    if connection.vendor == "postgresql":
        from ladder.feed import visible_q
        from ladder.tenancy import Caller

        caller = Caller(readable_org_ids=frozenset({home.pk}), writable_org_ids=frozenset(), home_org_id=home.pk)
        txid, pk = decode_cursor(middle_cursor)
        query = (
            ChangeRecord.objects.filter(visible_q(caller), txid__gte=txid, id__gt=pk)
            .select_related("company", "framework")
            .order_by("txid", "id")[:501]
        )
        print(query.explain(analyze=True))


if __name__ == "__main__":
    main()

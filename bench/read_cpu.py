"""CPU per read of a company list page (50 companies) and of a ladder document (11 levels), in one process.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... REDIS_URL=... python -m bench.read_cpu [ROUNDS]

Runs the whole Django stack (middleware, authentication, throttles, view, rendering) through the test
client, without HTTP, and measures CPU time with ``time.process_time`` (steadier than requests per
second on a shared machine). It makes, once, an organization ``read-bench`` with a read key, 60
companies and one 11-level ladder with two aliases per level, all through the services; then measures
ROUNDS (default 2,000) requests of each kind, twice, alternating, and prints the best of the two with
the SQL queries one request runs.
"""

from __future__ import annotations

import os
import sys
import time

import django

TITLES = [
    ("Associate Product Manager", "apm"),
    ("Product Manager", "pm"),
    ("Product Manager II", "pm"),
    ("Senior Product Manager", "senior-pm"),
    ("Lead Product Manager", "senior-pm"),
    ("Principal Product Manager", "principal-pm"),
    ("Distinguished Product Manager", "principal-pm"),
    ("Group Product Manager", "group-pm"),
    ("Director of Product", "director"),
    ("VP of Product", "vp"),
    ("Chief Product Officer", "cpo"),
]


def setup_read_bench() -> str:
    """The read-bench organization, companies and ladder (made once); a new read key."""
    from ladder import services
    from ladder.choices import KeyRole
    from ladder.models import ApiKey, Company, Framework, Organization
    from ladder.services import AliasInput, LevelInput

    org, _ = Organization.objects.get_or_create(slug="read-bench", defaults={"name": "Read bench"})
    ApiKey.objects.filter(organization=org, name="read-bench").update(revoked=True)
    _, key = ApiKey.objects.create_key(organization=org, role=KeyRole.READ, name="read-bench")
    framework = Framework.objects.get(slug="product-management")
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for i in range(60):
        slug = f"read-bench-{i:02d}"
        if not Company.objects.filter(organization=org, slug=slug).exists():
            services.company_create(organization_id=org.pk, values={"slug": slug, "name": f"Read bench {i}"})
    company = Company.objects.get(organization=org, slug="read-bench-00")
    levels = [
        LevelInput(
            title=title,
            code=f"P{rank}",
            reference_level=refs[ref],
            aliases=[AliasInput(title=f"{title} (old)"), AliasInput(title=f"P{rank} {title}")],
        )
        for rank, (title, ref) in enumerate(TITLES, start=1)
    ]
    services.ladder_document_put(company=company, framework=framework, levels=levels)
    return key


def main(rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Api-Key {setup_read_bench()}", HTTP_HOST="127.0.0.1")
    urls = {
        "list of 50 companies": "/api/v1/companies/?page_size=50",
        "ladder document, 11 levels": "/api/v1/companies/read-bench-00/ladders/product-management/",
    }
    best: dict[str, float] = {}
    for _ in range(2):
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            started = time.process_time()
            for _ in range(rounds):
                client.get(url)
            ms = (time.process_time() - started) / rounds * 1000
            best[name] = min(best.get(name, ms), ms)
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{name}: {best[name]:.2f} ms CPU per request (best of two runs of {rounds}); {len(queries)} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

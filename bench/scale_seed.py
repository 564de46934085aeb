"""Seed companies for ``bench/scale.sh`` through the services, as an HR platform's sync would.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.scale_seed N OUT_DIR

Makes the organization ``scale`` (once, with a read key written to OUT_DIR/key) and companies
``scale-00001`` … ``scale-N`` (those missing), each with an 8-level ladder (no aliases) written by
``services.ladder_document_put``. Run it again with a larger N to grow the same database.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django

LADDER = [  # (title, reference level, track)
    ("Associate Product Manager", "apm", "ic"),
    ("Product Manager", "pm", "ic"),
    ("Senior Product Manager", "senior-pm", "ic"),
    ("Principal Product Manager", "principal-pm", "ic"),
    ("Group Product Manager", "group-pm", "management"),
    ("Director of Product", "director", "management"),
    ("VP of Product", "vp", "executive"),
    ("Chief Product Officer", "cpo", "executive"),
]


def slug_of(i: int) -> str:
    return f"scale-{i:05d}"


def main(n: int, out_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import transaction

    from ladder.choices import KeyRole
    from ladder.models import ApiKey, Company, Framework, Organization

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    org, created = Organization.objects.get_or_create(slug="scale", defaults={"name": "Scale test"})
    if created or not (out / "key").exists():
        _, key = ApiKey.objects.create_key(organization=org, role=KeyRole.READ, name="scale")
        (out / "key").write_text(key)
    framework = Framework.objects.prefetch_related("reference_levels").get(slug="product-management")
    reference = {rl.slug: rl for rl in framework.reference_levels.all()}
    existing = set(Company.objects.filter(slug__startswith="scale-").values_list("slug", flat=True))
    started, made = time.perf_counter(), 0
    todo = [i for i in range(1, n + 1) if slug_of(i) not in existing]
    for start in range(0, len(todo), 250):
        with transaction.atomic():  # one commit per 250 companies: the services nest inside it
            for i in todo[start : start + 250]:
                made += _seed_one(i, org, framework, reference)
    took = time.perf_counter() - started
    print(f"seeded {made} companies in {took:.0f} s; {len(existing) + made} in all")


def _seed_one(i, org, framework, reference) -> int:
    from ladder import services
    from ladder.services import LevelInput

    company = services.company_create(organization_id=org.pk, values={"slug": slug_of(i), "name": f"Scale {i}"})
    levels = [
        LevelInput(title=title, code=f"L{rank + 1}", track=track, reference_level=reference[ref])
        for rank, (title, ref, track) in enumerate(LADDER)
    ]
    services.ladder_document_put(company=company, framework=framework, levels=levels)
    return 1


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "bench/results/scale")

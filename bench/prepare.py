"""Prepare a benchmark database: migrate, load the fixtures, make a key, write request bodies.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.prepare OUT_DIR

Writes OUT_DIR/key (an API key of the demo organization), OUT_DIR/read_key (a read key of the
``read-bench`` organization of ``bench.read_cpu``: 60 companies, one 11-level ladder) and the POST bodies:
``repeated.json`` (10,000 titles, about 500 distinct) and ``distinct.json`` (10,000 distinct messy titles)
for ``/translate``, and ``understand.json`` (10,000 distinct messy market titles of many families and
languages) for ``/titles/understand``.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import django


def messy_titles(base: list[str], n: int, seed: int) -> list[str]:
    """Spellings HRIS exports really contain: abbreviations, team suffixes, case, typos, codes."""
    rng = random.Random(seed)
    teams = ["Payments", "Growth", "Search", "Ads", "EMEA", "Core", "Checkout", "Identity", "Mobile", "Data"]
    seps = [" - ", " – ", ", ", " | ", " ("]
    swaps = {
        "Senior": ["Sr.", "Snr", "SENIOR", "senior"],
        "Manager": ["Mgr", "Manager", "Manger"],
        "Product": ["Prod", "Product"],
    }
    out: set[str] = set()
    while len(out) < n:
        title = rng.choice(base)
        words = [rng.choice(swaps[w]) if w in swaps and rng.random() < 0.5 else w for w in title.split()]
        text = " ".join(words)
        sep = rng.choice(seps)
        team = f"{rng.choice(teams)} {rng.randint(1, 999)}"
        text = f"{text}{sep}{team}{')' if sep == ' (' else ''}"
        out.add(text)
    return sorted(out, key=lambda _: rng.random())


def main(out_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.core.management import call_command

    from ladder.choices import KeyRole
    from ladder.models import ApiKey, Level, Organization, TitleAlias

    call_command("migrate", verbosity=0)
    call_command("load_fixtures", verbosity=0)
    org = Organization.objects.get(slug="demo")
    _, key = ApiKey.objects.create_key(organization=org, role=KeyRole.WRITE, name="bench")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "key").write_text(key)
    from bench.read_cpu import setup_read_bench

    (out / "read_key").write_text(setup_read_bench())

    names = list(Level.objects.filter(ladder__company__slug="globex").values_list("title", "code"))
    aliases = list(TitleAlias.objects.filter(ladder__company__slug="globex").values_list("title", flat=True))
    base = [f"{t} ({c})" if t == "Product Manager" else t for t, c in names] + aliases
    distinct = messy_titles(base, 10_000, seed=7)
    rng = random.Random(11)
    pool = distinct[:500]
    repeated = [rng.choice(pool) for _ in range(10_000)]
    for name, titles in (("repeated", repeated), ("distinct", distinct)):
        body = {"source": "globex", "target": "parallax", "as_of": "2025-01-01", "titles": titles}
        (out / f"{name}.json").write_text(json.dumps(body))
    from bench.engine_bench import market_titles

    (out / "understand.json").write_text(json.dumps({"titles": market_titles(10_000)}))
    print(f"prepared {out}: key, repeated.json ({len(set(repeated))} distinct), distinct.json, understand.json")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results")

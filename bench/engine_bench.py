"""In-process benchmark of the translation engine (no Django, no database).

    .venv/bin/python -m bench.engine_bench

Targets: at least 200,000 exact resolutions per second, and 10,000 distinct messy titles against a
ladder of 200 titles and aliases in 300 ms, with title understanding on (as the service runs), and
10,000 distinct messy market titles understood on the reference framework in 300 ms. Each figure
is the best of five runs; "cold" runs use a freshly built snapshot, an empty normaliser cache and a
fresh vocabulary (no parse memoised), so nothing is remembered from an earlier run. The bulk figures
are given twice: wall-clock time, and the CPU time of this process, which other work on a shared
machine does not inflate (on an idle machine the two agree).
"""

from __future__ import annotations

import random
import time
from datetime import date

from ladder.engine.levels import AliasSnap, LevelSnap
from ladder.engine.normalize import _normalize_cached
from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate_many
from ladder.engine.understand import Vocabulary
from tests.engine.ladders import ENTERPRISE, FRAMEWORK

VOCABULARY_FILE = "fixtures/vocabulary/title-vocabulary.json"

DAY = date(2025, 1, 1)
FAMILIES = ["Product", "Design", "Data", "Platform", "Growth", "Search", "Payments", "Ads", "Cloud", "Mobile"]
GRADES = ["Associate", "", "Senior", "Staff", "Principal", "Lead", "Group", "Head of", "Director of", "VP of"]
TEAMS = ["Payments", "Search", "Growth", "Ads", "EMEA", "AWS", "Core", "Infra", "Checkout", "Identity"]


def big_ladder() -> LadderSnapshot:
    """100 levels and 100 aliases: 200 strings to match against."""
    levels, aliases = [], []
    for f, family in enumerate(FAMILIES):
        for g, grade in enumerate(GRADES):
            level_id = 10 * f + g + 1
            title = f"{grade} {family} Manager".strip()
            levels.append(LevelSnap(level_id, title, f"X{level_id}", "ic", level_id, g + 0.5, g + 1.5))
            short = title.replace("Senior", "Sr.").replace("Associate", "Assoc.").replace("Manager", "Mgr")
            aliases.append(AliasSnap(short, level_id))
    return LadderSnapshot.build(key="big", framework="product-management", version=1, levels=levels, aliases=aliases)


def messy_titles(snapshot: LadderSnapshot, count: int) -> list[str]:
    """Distinct titles as HR exports have them: odd case, typos, team suffixes, some nonsense."""
    rnd = random.Random(11)

    def typo(text: str) -> str:
        chars = list(text)
        chars[rnd.randrange(len(chars))] = rnd.choice("abcdefghijklmnopqrstuvwxyz")
        return "".join(chars)

    titles: set[str] = set()
    while len(titles) < count:
        title = rnd.choice(snapshot.levels).title
        title = rnd.choice([title, title.upper(), title.lower()])
        roll = rnd.random()
        if roll < 0.25:
            title = typo(title)
        elif roll < 0.3:
            title = f"Chief {typo(title)} Wizard"
        separator = rnd.choice([" - ", ", ", " | ", " – ", " ("])
        suffix = f"{rnd.choice(TEAMS)} {rnd.randint(0, 10**6)}"
        titles.add(title + separator + suffix + (")" if separator == " (" else ""))
    return sorted(titles)


def best_of(runs: int, work) -> float:
    return min(work() for _ in range(runs))


def exact_warm() -> float:
    """Exact titles looked up again and again in one snapshot (its resolution memo is warm)."""
    snapshot = big_ladder()
    titles = [lv.title for lv in snapshot.levels] * 1000  # 100,000 lookups
    assert all(isinstance(resolve(snapshot, t, as_of=DAY), Resolution) for t in titles[:100])

    def run() -> float:
        started = time.perf_counter()
        for title in titles:
            resolve(snapshot, title, as_of=DAY)
        return time.perf_counter() - started

    return len(titles) / best_of(5, run)


def exact_cold() -> float:
    """Every exact title and alias resolved once in a fresh snapshot (nothing memoised)."""
    strings = None
    total, elapsed = 0, 0.0
    for _ in range(200):
        snapshot = big_ladder()
        _normalize_cached.cache_clear()
        strings = [lv.title for lv in snapshot.levels] + [a.title for a in snapshot.aliases]
        started = time.perf_counter()
        for text in strings:
            resolve(snapshot, text, as_of=DAY)
        elapsed += time.perf_counter() - started
        total += len(strings)
    return total / elapsed


def messy_bulk(understanding: bool) -> tuple[float, float, int]:
    titles = messy_titles(big_ladder(), 10_000)
    outcome: dict[str, int] = {}
    cpu: list[float] = []

    def run() -> float:
        snapshot = big_ladder()
        vocabulary = Vocabulary.from_file(VOCABULARY_FILE) if understanding else None
        _normalize_cached.cache_clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        results = translate_many(snapshot, ENTERPRISE, titles, DAY, vocabulary)
        elapsed = time.perf_counter() - started
        cpu.append(time.process_time() - started_cpu)
        outcome["translated"] = sum(r.ok for r in results)
        return elapsed

    return best_of(5, run), min(cpu), outcome["translated"]


MARKET_HEADS = [
    "Product Manager",
    "Senior Product Manager",
    "Staff Product Manager",
    "Principal PM",
    "Group Product Manager",
    "Head of Product",
    "Director of Product Management",
    "Senior Director, Product",
    "VP Product",
    "SVP, Product",
    "Chief Product Officer",
    "Associate Director of Product",
    "Manager, Product Management",
    "Lead Product Manager",
    "Product Lead",
    "Associate Product Manager",
    "Product Owner",
    "Produktmanager",
    "Chef de produit",
    "Gerente de Producto",
    "Gerente de Produto",
    "Productmanager",
    "Senior Project Manager",
    "Product Designer",
    "Technical Program Manager",
    "Production Manager",
    "Product Marketing Manager",
    "Data Scientist",
    "Customer Success Manager",
    "Account Executive",
    "Product Manager II",
    "Senior Product Mangaer",
]
MARKET_NOISE = ["(m/w/d)", "H/F", "- Remote", "(Remote, EMEA)", "- Contract", "| London", "(f/m/d)", "", "", ""]


def market_titles(count: int) -> list[str]:
    """Distinct titles as they come from job ads and HRIS exports of many companies and families."""
    rnd = random.Random(7)
    titles: set[str] = set()
    while len(titles) < count:
        head = rnd.choice(MARKET_HEADS)
        head = rnd.choice([head, head.upper(), head.lower()])
        team = f"{rnd.choice(TEAMS)} {rnd.randint(0, 10**6)}"
        titles.add(f"{head} {rnd.choice(MARKET_NOISE)} - {team}".replace("  ", " "))
    return sorted(titles)


def understand_bulk() -> tuple[float, float, int]:
    """10,000 distinct market titles understood on the reference framework (what /titles/understand does)."""
    titles = market_titles(10_000)
    outcome: dict[str, int] = {}
    cpu: list[float] = []

    def run() -> float:
        reference = FRAMEWORK.to_ladder()
        vocabulary = Vocabulary.from_file(VOCABULARY_FILE)
        _normalize_cached.cache_clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        results = translate_many(reference, reference, titles, DAY, vocabulary)
        elapsed = time.perf_counter() - started
        cpu.append(time.process_time() - started_cpu)
        outcome["placed"] = sum(r.ok for r in results)
        return elapsed

    return best_of(5, run), min(cpu), outcome["placed"]


def main() -> None:
    import os
    import platform

    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"exact resolutions, memo warm: {exact_warm():,.0f}/s (target >= 200,000/s)")
    print(f"exact resolutions, cold:      {exact_cold():,.0f}/s (target >= 200,000/s)")
    elapsed, cpu, translated = messy_bulk(understanding=False)
    print(
        f"10,000 distinct messy titles vs 200 strings, spelling only: {elapsed * 1000:.0f} ms "
        f"({cpu * 1000:.0f} ms CPU), {translated:,} translated"
    )
    elapsed, cpu, translated = messy_bulk(understanding=True)
    print(
        f"10,000 distinct messy titles vs 200 strings, with understanding: {elapsed * 1000:.0f} ms "
        f"({cpu * 1000:.0f} ms CPU), {translated:,} translated (target <= 300 ms)"
    )
    elapsed, cpu, placed = understand_bulk()
    print(
        f"10,000 distinct market titles understood on the reference: {elapsed * 1000:.0f} ms "
        f"({cpu * 1000:.0f} ms CPU), {placed:,} placed (target <= 300 ms)"
    )


if __name__ == "__main__":
    main()

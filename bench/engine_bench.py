"""In-process benchmark of the translation engine (no Django, no database).

    .venv/bin/python -m bench.engine_bench

Targets: at least 200,000 exact resolutions per second, and 10,000 distinct messy titles against a
ladder of 200 titles and aliases in 300 ms. Each figure is the best of five runs; "cold" runs use a
freshly built snapshot and an empty normaliser cache, so nothing is memoised from an earlier run.
"""

from __future__ import annotations

import random
import time
from datetime import date

from ladder.engine.normalize import _normalize_cached
from ladder.engine.resolve import Resolution, resolve
from ladder.engine.snapshot import AliasSnap, LadderSnapshot, LevelSnap
from ladder.engine.translate import translate_many
from tests.engine.ladders import ENTERPRISE

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


def messy_bulk() -> tuple[float, int]:
    titles = messy_titles(big_ladder(), 10_000)
    outcome: dict[str, int] = {}

    def run() -> float:
        snapshot = big_ladder()
        _normalize_cached.cache_clear()
        started = time.perf_counter()
        results = translate_many(snapshot, ENTERPRISE, titles, DAY)
        elapsed = time.perf_counter() - started
        outcome["translated"] = sum(r.ok for r in results)
        return elapsed

    return best_of(5, run), outcome["translated"]


def main() -> None:
    import os
    import platform

    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"exact resolutions, memo warm: {exact_warm():,.0f}/s (target >= 200,000/s)")
    print(f"exact resolutions, cold:      {exact_cold():,.0f}/s (target >= 200,000/s)")
    elapsed, translated = messy_bulk()
    print(f"10,000 distinct messy titles vs 200 strings: {elapsed * 1000:.0f} ms, {translated:,} translated")
    print("(target <= 300 ms)")


if __name__ == "__main__":
    main()

"""CPU per translation, one hot pair against random pairs, in one process (after ``bench/scale.sh``).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... REDIS_URL=... python -m bench.scale_cpu N KEY_FILE

Runs the whole Django stack (middleware, authentication, throttles, view, rendering) through the
test client, without HTTP, and measures CPU time with ``time.process_time``: on a machine shared
with other work, CPU time per request is steadier than requests per second. Every company is
translated once first (a warm process), then 3,000 requests of each kind, alternating twice.
"""

from __future__ import annotations

import os
import random
import sys
import time

import django


def main(n: int, key_file: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.test import Client

    from ladder.translation.cache import local_snapshots

    key = open(key_file).read().strip()  # noqa: SIM115
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_HOST="127.0.0.1")

    def url(a: int, b: int) -> str:
        return f"/api/v1/translate?source=scale-{a:05d}&target=scale-{b:05d}&title=Senior%20Product%20Manager"

    started = time.process_time()
    for i in range(1, n + 1):
        assert client.get(url(i, i % n + 1)).status_code == 200
    warm = time.process_time() - started
    rng = random.Random(7)
    rows = []
    for _ in range(2):
        for kind in ("hot", "random"):
            pairs = [(1, 2)] * 3000 if kind == "hot" else [(rng.randint(1, n), rng.randint(1, n)) for _ in range(3000)]
            started = time.process_time()
            for a, b in pairs:
                client.get(url(a, b))
            rows.append((kind, (time.process_time() - started) / len(pairs) * 1000))
    hot = sorted(ms for kind, ms in rows if kind == "hot")[0]
    rand = sorted(ms for kind, ms in rows if kind == "random")[0]
    rss = [line for line in open("/proc/self/status") if line.startswith(("VmRSS", "VmHWM"))]  # noqa: SIM115
    print(
        f"N={n}: warm-up {warm:.1f} s CPU; CPU per request hot {hot:.3f} ms, random {rand:.3f} ms "
        f"(best of two); hot/random {hot / rand:.2f}; snapshots kept {len(local_snapshots)} "
        f"({local_snapshots.used / 2**20:.0f} MB estimated); "
        + ", ".join(line.split(":")[0] + " " + str(round(int(line.split()[1]) / 1024)) + " MB" for line in rss)
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])

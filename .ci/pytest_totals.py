#!/usr/bin/env python3
"""Print the pytest totals of the given logs as one plain line: ``N passed, M failed``.

pytest closes each run with a line such as ``=== 765 passed, 2 skipped in 120.51s ===``; errors
count as failures. A log without such a line (its run never got to pytest) adds nothing.
"""

import re
import sys

COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
CLOSING = re.compile(r"^=+ .*\b(passed|failed|errors?|skipped|no tests ran)\b.* in [\d.]+s.* =+$")


def totals(paths: list[str]) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                closing = [line.strip() for line in fh if CLOSING.match(line.strip())]
        except OSError:
            continue
        if not closing:
            continue
        for number, word in COUNT.findall(closing[-1]):
            if word in ("failed", "error", "errors"):
                counts["failed"] += int(number)
            elif word in ("passed", "xpassed"):
                counts["passed"] += int(number)
            elif word in ("skipped", "xfailed"):
                counts["skipped"] += int(number)
    return counts


if __name__ == "__main__":
    c = totals(sys.argv[1:])
    line = f"{c['passed']} passed, {c['failed']} failed"
    if c["skipped"]:
        line += f", {c['skipped']} skipped"
    print(line)

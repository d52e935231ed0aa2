"""The end of `make bench`: every benchmark's targets in one table, and which benchmarks gave none.

Exits 1 if any target was MISSED or an expected benchmark recorded nothing (it crashed before its
verdict), so `make bench` still fails when something is wrong, but only after every benchmark ran.
"""

from __future__ import annotations

import sys

from pairs import load_text
from verdicts import recorded

EXPECTED = sys.argv[1:]  # the benchmarks make ran, by script name


def main() -> int:
    verdicts = recorded()
    print(f"\n{'benchmark':12s} {'target':64s} {'value':>28s}  result")
    for verdict in verdicts:
        print(f"{verdict.benchmark:12s} {verdict.line}")
    silent = [name for name in EXPECTED if name not in {verdict.benchmark for verdict in verdicts}]
    for name in silent:
        print(f"{name:12s} {'(no verdict: the benchmark failed before reporting)':64s} {'':>28s}  MISSED")
    missed = sum(not verdict.ok for verdict in verdicts) + len(silent)
    print(f"{len(verdicts) + len(silent)} targets, {missed} missed; {load_text()}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

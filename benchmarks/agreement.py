"""One benchmark run several times in a row, and whether the runs agree (Round 2, Step 6: three runs
in a row must agree within ±10%).

Each run writes its targets to a results file of its own. Then, for each target, the table gets the
run with the median value (so one lucky or unlucky run decides nothing), and a row saying whether
every run's value lies within ±10% of that median. A target a run did not report cannot agree.

Usage: python benchmarks/agreement.py SCRIPT [--runs 3] [ARGS...], SCRIPT relative to benchmarks/
and run with this interpreter. `make bench` runs the BPTT benchmark through it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from verdicts import Verdict, recorded, report

AGREEMENT = 0.10  # each run's value within ±10% of the runs' median
LEADING_NUMBER = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def value_of(verdict: Verdict) -> float:
    """The number a verdict's value starts with: "1.44 (IQR 1.42-1.46)" is 1.44."""
    found = LEADING_NUMBER.match(verdict.value)
    if found is None:
        raise ValueError(f"{verdict.target}: no number in {verdict.value!r}")
    return float(found[1])


def agreement_rows(runs: list[list[Verdict]], limit: float = AGREEMENT) -> list[Verdict]:
    """For each target of the first run: its median run's row, and whether every run agrees with it."""
    rows = []
    for first in runs[0]:
        verdicts = [next((v for v in run if v.target == first.target), None) for run in runs]
        label = f"{first.target}: {len(runs)} runs within ±{limit:.0%}"
        if None in verdicts:
            missing = ", ".join(str(i + 1) for i, v in enumerate(verdicts) if v is None)
            rows += [first, Verdict(first.benchmark, label, f"not reported by run {missing}", False)]
            continue
        values = [value_of(v) for v in verdicts]
        middle = sorted(range(len(values)), key=values.__getitem__)[len(values) // 2]
        median = statistics.median(values)
        deviation = max(abs(v / median - 1) for v in values) if median else max(map(abs, values))
        shown = " / ".join(f"{v:.3g}" for v in values) + f" (±{deviation:.0%})"
        rows += [verdicts[middle], Verdict(first.benchmark, label, shown, deviation <= limit)]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("script")
    parser.add_argument("--runs", type=int, default=3)
    options, script_args = parser.parse_known_args()
    script = Path(__file__).resolve().parent / options.script
    runs = []
    with tempfile.TemporaryDirectory(prefix="studysite-agreement-") as folder:
        for index in range(options.runs):
            print(f"\n{options.script}: run {index + 1} of {options.runs}", flush=True)
            results = Path(folder) / f"run-{index}.jsonl"
            subprocess.run(  # noqa: S603 - our own benchmark, with our own interpreter
                [sys.executable, script, *script_args],
                env={**os.environ, "BENCH_RESULTS": str(results)},
                check=False,
            )
            runs.append(recorded(results))
    if not runs[0]:
        print(f"{options.script}: the first run reported no target")
        return 1
    print(f"\n{options.script}: each target's median run, and whether the {options.runs} runs agree")
    return report(agreement_rows(runs))


if __name__ == "__main__":
    raise SystemExit(main())

"""Every benchmark's targets as rows of one table: what `make bench` prints at the end, ok or MISSED.

Each benchmark prints its own rows and appends them to BENCH_RESULTS (one JSON object a line), so a
benchmark that misses, or fails, does not stop the others; `benchmarks/summary.py` prints them all.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).resolve().parent / ".results.jsonl"))


@dataclass(frozen=True)
class Verdict:
    benchmark: str  # the script: "bptt_speed"
    target: str  # what is promised: "B=32 T=100 n=64: rnnsim / its matmuls ≤ 1.5"
    value: str  # what was measured, with its spread: "2.91 (IQR 2.85-2.97)"
    ok: bool

    @property
    def line(self) -> str:
        return f"{self.target:64s} {self.value:>28s}  {'ok' if self.ok else 'MISSED'}"


def at_most(benchmark: str, label: str, value: float, limit: float, digits: int = 2) -> Verdict:
    """The row for a measure that must not exceed its limit."""
    return Verdict(benchmark, f"{label} ≤ {limit:g}", f"{value:.{digits}f}", value <= limit)


def report(verdicts: list[Verdict]) -> int:
    """Print the rows, keep them for the summary, and return the exit status: 1 if any is MISSED."""
    for verdict in verdicts:
        print(verdict.line)
    with RESULTS.open("a", encoding="utf-8") as handle:
        for verdict in verdicts:
            handle.write(json.dumps(asdict(verdict), ensure_ascii=False) + "\n")
    return 0 if all(verdict.ok for verdict in verdicts) else 1


def recorded(results: Path = RESULTS) -> list[Verdict]:
    if not results.exists():
        return []
    return [Verdict(**json.loads(line)) for line in results.read_text(encoding="utf-8").splitlines() if line]

"""Timing a candidate against its baseline fairly: interleaved A B A B …, the median of pairwise ratios.

Measured in separate blocks, a ratio moves with the machine's load (the same BPTT benchmark gave 0.48
one run and 0.30 the next). Interleaved, each pair shares its moment, and the median of the pairs'
ratios, with its interquartile spread and the load average beside it, is what a run reports.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

PAIRS = 21  # odd, so the median is one pair's ratio


@dataclass(frozen=True)
class Paired:
    candidate: float  # median seconds of one candidate run
    baseline: float  # median seconds of one baseline run
    ratio: float  # median of the pairwise ratios candidate / baseline
    low: float  # their first and third quartiles: the spread a reader should expect run to run
    high: float
    load: tuple[float, float, float]  # the machine's 1, 5 and 15 minute load averages after the pairs

    @property
    def spread(self) -> str:
        return f"{self.ratio:.2f} (IQR {self.low:.2f}-{self.high:.2f})"


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(
    candidate: Callable[[], object], baseline: Callable[[], object], *, pairs: int = PAIRS, warmup: int = 2
) -> Paired:
    """Run candidate and baseline alternately, ``pairs`` times each after a warm-up of both."""
    for _ in range(warmup):
        candidate()
        baseline()
    times = []
    for index in range(pairs):
        if index % 2:  # alternate which goes first, so neither always runs on a warmer cache
            b, a = seconds(baseline), seconds(candidate)
        else:
            a, b = seconds(candidate), seconds(baseline)
        times.append((a, b))
    ratios = sorted(a / b for a, b in times)
    low, _, high = statistics.quantiles(ratios, n=4)
    return Paired(
        statistics.median(a for a, _ in times),
        statistics.median(b for _, b in times),
        statistics.median(ratios),
        low,
        high,
        os.getloadavg(),
    )


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"

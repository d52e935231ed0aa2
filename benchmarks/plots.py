"""Plot rendering and serving, measured against the targets of issue "Step 4".

- Rendering every plot the seed content references, from a cold cache, with both cores: at most 5 s
  (Round 2, Step 6). That includes the template questions' variant pools and the misconceptions'
  what-if plots; the time without the pools is printed beside it.
- Serving a cached plot: at most 10 ms median (baseline in the same run: the home page's cheapest
  sibling, a 404 through the same middleware).
- Any lab plot, at the most expensive parameters its spec allows: at most 2 s of CPU.

Runs against a throwaway SQLite database and MEDIA_ROOT. `make bench` runs it.
"""

from __future__ import annotations

import logging
import resource
import statistics
import time

from extremes import most_expensive
from pairs import load_text
from throwaway import set_up_django
from verdicts import at_most, report

set_up_django("studysite-bench-")

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from rnnsim.core.experiments import EXPERIMENTS  # noqa: E402
from rnnsim.figures import get_or_render, resolve  # noqa: E402
from rnnsim.models import RenderedPlot  # noqa: E402


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def median_ms(client: Client, url: str, *, expect: int, runs: int = 200) -> float:
    assert client.get(url).status_code == expect, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    start = time.perf_counter()
    with override_settings(STUDYSITE_VARIANT_POOL=0):
        call_command("render_plots", verbosity=0)
    without_pools, fixed = time.perf_counter() - start, RenderedPlot.objects.count()
    call_command("render_plots", verbosity=0)
    cold = time.perf_counter() - start
    count = RenderedPlot.objects.count()
    print(
        f"cold render: {fixed} plots without the variant pools in {without_pools:.1f} s, "
        f"{count} with them in {cold:.1f} s ({2 * cold / count:.2f} core-s a plot)"
    )

    client = Client(HTTP_HOST="localhost")
    plot = RenderedPlot.objects.first()
    served = median_ms(client, plot.svg_url, expect=200)
    logging.disable(logging.WARNING)  # the baseline's 404s would each log a line
    baseline = median_ms(client, "/no-such-page/", expect=404)

    worst_name, worst_cpu = "", 0.0
    for name, experiment in EXPERIMENTS.items():
        spec = resolve(name, most_expensive(experiment))
        before = cpu_seconds()
        get_or_render(spec)
        used = cpu_seconds() - before
        if used > worst_cpu:
            worst_name, worst_cpu = name, used

    rows = [
        (f"render all {count} plots the seed references, cold, 2 cores (s)", cold, 5.0),
        ("serve a cached plot, median (ms)", served, 10.0),
        (f"lab plot at its spec's maxima, worst: {worst_name} (CPU s)", worst_cpu, 2.0),
    ]
    print(f"baseline in the same run: a 404 through the same middleware, median {baseline:.2f} ms")
    print(f"cached plot / 404 baseline: {served / baseline:.2f}x; {load_text()}")
    return report([at_most("plots", label, value, target) for label, value, target in rows])


if __name__ == "__main__":
    raise SystemExit(main())

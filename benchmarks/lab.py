"""Lab redraws, uncached, as a reader drags a slider: server time per redraw, every experiment.

Targets (Round 2, Step 6): p95 of 20 redraws at most 150 ms at the experiment's defaults and at most
1 s at its spec's maxima (10 redraws there: each is the slowest run a visitor can ask for), for each
rendition a screen asks for (the phone's stacked SVG and the page's wide one). Each redraw is the lab's
htmx request through Django, with the plot's row deleted before it so that nothing is cached; one
untimed redraw first fills the process's text caches, as any earlier visitor's would. The baseline in
the same run is one simulation alone at the defaults, so a reader sees what drawing costs.

Runs against a throwaway SQLite database and MEDIA_ROOT holding the seed content, as a site does: what
a redraw costs beside drawing (the bounded store's bookkeeping) grows with the content. `make bench`
runs it.
"""

from __future__ import annotations

import statistics
import sys
import time

from extremes import most_expensive
from pairs import load_text
from throwaway import set_up_django
from verdicts import at_most, report

set_up_django("studysite-bench-lab-", STUDYSITE_LAB_RENDERS_PER_CLIENT="100000/m")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from rnnsim.core.experiments import EXPERIMENTS  # noqa: E402
from rnnsim.figures import resolve  # noqa: E402
from rnnsim.models import RenderedPlot  # noqa: E402

LAYOUTS = ("narrow", "wide")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def redraw_seconds(client: Client, name: str, params: dict, layout: str, runs: int) -> list[float]:
    """Server time of ``runs`` uncached redraws: each request finds no plot and draws one SVG."""
    url = f"{reverse('lab-experiment', args=[name])}?{urlencode(params)}"
    key = resolve(name, params).key
    headers = {"HX-Request": "true", "X-Lab-Layout": layout}
    # The first drawing of an experiment in a process also fills the process's caches of its labels'
    # glyphs, math and text layouts, which every later visitor shares. Timed, it was the slowest of the
    # 20 (110 ms against about 90 for weight-decay) and decided the p95; so it is drawn once, untimed.
    client.get(url, headers=headers)
    times = []
    for _ in range(runs):
        RenderedPlot.objects.filter(key=key).delete()
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (name, response.status_code)
    drawn = RenderedPlot.objects.get(key=key)
    assert set(drawn.files) == {f"{layout}.svg"}, drawn.files  # one format, one rendition
    return times


def main(names: list[str]) -> int:
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    call = Client(HTTP_HOST="localhost")
    call.get(reverse("lab-experiment", args=["rho-power-law"]))  # imports, fonts and caches warmed
    print(f"{load_text()}; each value: p95 of uncached redraws, server time in ms")
    verdicts = []
    for name in names or EXPERIMENTS:
        experiment = EXPERIMENTS[name]
        defaults, maxima = experiment.defaults, most_expensive(experiment)
        simulated = []
        for _ in range(5):
            start = time.perf_counter()
            experiment.run(experiment.resolve(defaults))
            simulated.append(time.perf_counter() - start)
        line = [f"{name:20s} simulation alone {statistics.median(simulated) * 1e3:6.0f} ms"]
        for layout in LAYOUTS:
            at_defaults = p95(redraw_seconds(call, name, defaults, layout, 20)) * 1e3
            at_maxima = p95(redraw_seconds(call, name, maxima, layout, 10)) * 1e3
            line.append(f"{layout}: {at_defaults:5.0f} / {at_maxima:5.0f}")
            verdicts += [
                at_most("lab", f"{name} {layout} redraw at defaults, p95 ms", at_defaults, 150, 0),
                at_most("lab", f"{name} {layout} redraw at maxima, p95 ms", at_maxima, 1000, 0),
            ]
        print("  ".join(line), flush=True)
    print(load_text())
    return report(verdicts)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

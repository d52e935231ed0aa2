"""Pre-render every plot the content refers to, so no learner waits for a simulation."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from django.core.management.base import BaseCommand, CommandError

from rnnsim.core import plots
from rnnsim.figures import claim, reclaim, render_claimed
from rnnsim.lab_store import content_plots
from rnnsim.models import RenderedPlot


def claim_for_content(spec, drawn_already: RenderedPlot | None) -> RenderedPlot | None:
    """The row to draw this plot's files on: a new claim, or a row drawn with fewer files reclaimed."""
    if drawn_already is not None:
        return drawn_already if reclaim(drawn_already) else None
    return claim(spec)


def files_for(row: RenderedPlot, needed: frozenset[str]) -> frozenset[str]:
    """The files content needs, and any drawn on this row already, which a new drawing must not lose."""
    return needed | row.files.keys()


class Command(BaseCommand):
    help = (
        "Render every plot referenced by quizzes and flashcards that is not cached yet (idempotent): "
        "SVGs for pages, and the PNG exports embed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="Parallel render processes."
        )

    def handle(self, *args, workers: int, verbosity: int = 1, **options) -> None:
        start = time.perf_counter()
        specs, needed = {}, {}
        for spec, files in content_plots():  # a plot both exported and pooled needs both uses' files
            specs[spec.key] = spec
            needed[spec.key] = needed.get(spec.key, frozenset()) | files
        drawn = RenderedPlot.objects.filter(key__in=specs, status=RenderedPlot.Status.READY)
        ready = {plot.key for plot in drawn if plot.has_files(needed[plot.key])}
        partly = {plot.key: plot for plot in drawn if plot.key not in ready}
        todo = {key: spec for key, spec in specs.items() if key not in ready}
        claimed = {
            key: row for key, spec in todo.items() if (row := claim_for_content(spec, partly.get(key)))
        }
        done = len(specs) - len(todo)
        self.progress(done, len(specs), "already rendered", verbosity)
        if claimed:
            # Fresh interpreters, not forks: this process already runs numpy's BLAS threads, and the
            # workers only need the pure engine, never Django or its database connections.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                max_workers=max(1, min(workers, len(claimed))), mp_context=context
            ) as pool:
                futures = {
                    pool.submit(
                        plots.render, todo[key].experiment, todo[key].params, files_for(row, needed[key])
                    ): key
                    for key, row in claimed.items()
                }
                failures = []
                for future in as_completed(futures):
                    key = futures[future]
                    try:
                        render_claimed(todo[key], claimed[key], rendered=future.result())
                    except Exception as error:  # release the claim and report every failure at the end
                        claimed[key].delete()
                        failures.append(f"{todo[key].experiment} {todo[key].params}: {error}")
                        continue
                    done += 1
                    self.progress(done, len(specs), todo[key].experiment, verbosity)
            if failures:
                raise CommandError("Some plots failed to render:\n" + "\n".join(failures))
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(specs)} plots referenced, {len(claimed)} rendered now, "
                    f"{len(specs) - len(todo)} already cached, in {time.perf_counter() - start:.1f} s."
                )
            )

    def progress(self, done: int, total: int, label: str, verbosity: int) -> None:
        if not verbosity or not total:
            return
        width = 30
        filled = round(width * done / total)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<24}", ending="")
        self.stdout.flush()
        if done == total:
            self.stdout.write("")
        sys.stdout.flush()

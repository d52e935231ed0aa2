"""Plots for the web: validated specs, cache keys, storage, and render-once under concurrency.

A plot spec is what content stores: {"experiment": name, "params": {...}}. A web request only ever
renders within the bounds of the experiment's parameter spec, and only once per key: pages normally
find their plots pre-rendered by ``manage.py render_plots``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import matplotlib
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .core import plots
from .core.experiments import EXPERIMENTS, ParameterError, get_experiment
from .models import RenderedPlot
from .render_slots import render_slot

logger = logging.getLogger(__name__)
draw = plots.render  # the one call that runs an experiment and draws it; tests count or reuse it here
CORE_DIR = Path(__file__).resolve().parent / "core"
WAIT_SECONDS = 30  # how long a request waits for another one rendering the same plot
STALE_AFTER = timedelta(minutes=2)  # a claim older than this belongs to a render that died


@functools.cache
def engine_version() -> str:
    """A digest of the engine's source and matplotlib's version: change either and every key changes."""
    digest = hashlib.sha256(matplotlib.__version__.encode())
    for path in sorted(CORE_DIR.rglob("*.py")):
        digest.update(path.relative_to(CORE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class PlotSpec:
    experiment: str
    params: dict[str, float | int]  # every parameter, validated and filled with defaults

    @property
    def key(self) -> str:
        identity = {"experiment": self.experiment, "params": self.params, "engine": engine_version()}
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    def as_json(self) -> dict:
        return {"experiment": self.experiment, "params": self.params}

    @property
    def query(self) -> str:
        return urlencode(sorted(self.params.items()))


def resolve(experiment: str, params: Mapping[str, object] | None = None) -> PlotSpec:
    """Validate an experiment name and its parameters; ParameterError names the offending bound."""
    try:
        found = get_experiment(experiment)
    except KeyError as error:
        raise ParameterError(error.args[0]) from None
    return PlotSpec(experiment=found.name, params=found.resolve(params))


def spec_from_json(value: object) -> PlotSpec | None:
    """The spec stored on a question, choice or card; None for "no plot"."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or "experiment" not in value:
        raise ParameterError('A plot is {"experiment": name, "params": {...}}.')
    params = value.get("params") or {}
    if not isinstance(params, dict):
        raise ParameterError("A plot's params must be an object of parameter names and values.")
    return resolve(str(value["experiment"]), params)


def validate_plot_spec(value: object) -> None:
    """Model-field validator: admin and import both refuse a plot the engine would refuse."""
    try:
        spec_from_json(value)
    except ParameterError as error:
        raise ValidationError(str(error), code="invalid_plot") from None


def experiment_choices() -> list[tuple[str, str]]:
    return [(name, f"{experiment.title} ({name})") for name, experiment in EXPERIMENTS.items()]


def get_or_render(spec: PlotSpec, files: frozenset[str] = plots.PAGE_FILES) -> RenderedPlot:
    """The rendered plot for this spec with at least these ``files``, rendered now if nobody has, once.

    A page (and an export) needs ``plots.PAGE_FILES``; the lab's redraw one layout's SVG
    (``plots.LAB_FILES``). A plot drawn with fewer files than asked for is drawn again with both sets,
    once: the first request to flip it back to "rendering" does the work and the others wait for it.
    """
    key = spec.key
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        plot = RenderedPlot.objects.filter(key=key).first()
        if plot is not None and plot.status == RenderedPlot.Status.READY:
            if plot.has_files(files):
                return plot
            if reclaim(plot):
                return render_claimed(spec, plot, files | plot.files.keys())
            continue
        if plot is None:
            claimed = claim(spec)
            if claimed is not None:
                return render_claimed(spec, claimed, files)
        elif timezone.now() - plot.claimed_at > STALE_AFTER:
            RenderedPlot.objects.filter(pk=plot.pk, status=RenderedPlot.Status.RENDERING).delete()
            continue
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out waiting for another request to render {spec.experiment}.")
        time.sleep(0.05)


def exported_png(spec: PlotSpec) -> tuple[RenderedPlot, bytes]:
    """The plot an export embeds and its PNG (Anki and Moodle show a raster image everywhere), drawn
    now with the page's files if nobody has drawn it yet."""
    plot = get_or_render(spec, plots.EXPORT_FILES)
    with default_storage.open(plot.png_name, "rb") as handle:
        return plot, handle.read()


def claim(spec: PlotSpec) -> RenderedPlot | None:
    """Insert the rendering row; None if another request got there first."""
    try:
        with transaction.atomic():
            return RenderedPlot.objects.create(
                key=spec.key, experiment=spec.experiment, params=spec.params, engine_version=engine_version()
            )
    except IntegrityError:
        return None


def reclaim(plot: RenderedPlot) -> bool:
    """Claim a ready plot for drawing more of its files; False if another request got there first."""
    claimed = RenderedPlot.objects.filter(pk=plot.pk, status=RenderedPlot.Status.READY).update(
        status=RenderedPlot.Status.RENDERING, claimed_at=timezone.now()
    )
    return claimed == 1


def render_claimed(
    spec: PlotSpec,
    plot: RenderedPlot,
    files: frozenset[str] = plots.PAGE_FILES,
    rendered: plots.RenderedPlot | None = None,
) -> RenderedPlot:
    """Draw the plot as ``files`` (unless given the drawing), store them, and mark the claimed row ready."""
    start = time.perf_counter()
    try:
        rendered = rendered or draw(spec.experiment, spec.params, frozenset(files))
        store(plot, rendered)
    except BaseException:
        plot.delete()  # release the claim, so the next request can try again
        raise
    plot.render_seconds = time.perf_counter() - start
    logger.info("Rendered plot %s (%s) in %.2f s", plot.key, spec.experiment, plot.render_seconds)
    plot.status = RenderedPlot.Status.READY
    plot.rendered_at = timezone.now()
    plot.save()
    return plot


def store(plot: RenderedPlot, rendered: plots.RenderedPlot) -> None:
    base = f"plots/{plot.experiment}/{plot.key[:32]}"
    data = {
        "experiment": plot.experiment,
        "params": plot.params,
        "engine_version": plot.engine_version,
        "claim": rendered.claim,
        "title": rendered.title,
        "caption": rendered.caption,
        "columns": ["series", rendered.x_label, rendered.y_label],
        "rows": rendered.rows,
    }
    plot.files = {
        rendition: {
            "name": save_file(f"{base}-{rendition}", content),
            "digest": hashlib.sha256(content).hexdigest()[:16],
        }
        for rendition, content in rendered.images.items()
    }
    plot.sizes = {layout: list(size) for layout, size in rendered.sizes.items()}
    plot.frames = rendered.frames
    plot.data_name = save_file(f"{base}.json", strict_json(data).encode())
    plot.size_bytes = sum(default_storage.size(name) for name in plot.stored_names())
    plot.title, plot.caption, plot.alt, plot.claim = (
        rendered.title,
        rendered.caption,
        rendered.alt,
        rendered.claim,
    )


def finite_or_null(value: object) -> object:
    """The value with every NaN and infinity made None: strict JSON has no such numbers (RFC 8259)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_null(item) for item in value]
    return value


def strict_json(value: object) -> str:
    """JSON any strict parser reads: a run that diverged writes null where it has no finite number."""
    return json.dumps(finite_or_null(value), allow_nan=False, ensure_ascii=False)


def save_file(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)  # a re-render after a failed attempt replaces the leftovers
    return default_storage.save(name, ContentFile(content))


def load_data(plot: RenderedPlot) -> dict:
    """The numbers behind a plot; files stored before they were strict JSON read the same way."""
    with default_storage.open(plot.data_name, "rb") as handle:
        return finite_or_null(json.loads(handle.read()))


def attach_plots(objects: Iterable[object], attribute: str = "rendered_plot", *, wait: bool = True) -> None:
    """Give each object with a ``plot`` spec its rendered plot, in one query for all that are cached.

    A plot not drawn yet is handed to the ``render_plot`` task; while a worker still has it queued, the
    object gets None and its page shows no plot rather than wait. With ``wait=False`` nothing is drawn
    here: the object gets a ``pending_plot``, for the page to fetch after it shows.
    """
    wanted = []
    for obj in objects:
        setattr(obj, attribute, None)
        obj.pending_plot = None
        try:
            spec = spec_from_json(getattr(obj, "plot", None))
        except ParameterError:
            # Saved content is validated, so this means the engine changed under it: show no plot
            # rather than fail the learner's page, and say so in the log.
            logger.warning("Invalid plot spec on %r: %s", obj, getattr(obj, "plot", None))
            continue
        if spec is not None:
            wanted.append((obj, spec))
    keys = {spec.key for _, spec in wanted}
    ready = ready_plots(keys)
    missing = {spec.key: spec for _, spec in wanted if spec.key not in ready}
    if not wait:
        for obj, spec in wanted:
            setattr(obj, attribute, ready.get(spec.key))
            if spec.key in missing:
                obj.pending_plot = PendingPlot(spec)
        return
    for spec in missing.values():
        render_plot.enqueue(spec.experiment, spec.params)
    if missing:  # the default, immediate backend has drawn them by now; a worker backend draws them later
        ready |= ready_plots(missing.keys())
    for obj, spec in wanted:
        setattr(obj, attribute, ready.get(spec.key))


@dataclass(frozen=True)
class PendingPlot:
    """A plot not drawn yet: where its figure will be drawn on request, and its lab page."""

    spec: PlotSpec

    @property
    def figure_url(self) -> str:
        return f"{reverse('lab-figure', args=[self.spec.experiment])}?{self.spec.query}"

    @property
    def lab_url(self) -> str:
        return f"{reverse('lab-experiment', args=[self.spec.experiment])}?{self.spec.query}"


def ready_plots(keys: Iterable[str]) -> dict[str, RenderedPlot]:
    return {
        plot.key: plot for plot in RenderedPlot.objects.filter(key__in=keys, status=RenderedPlot.Status.READY)
    }


@task
def render_plot(experiment: str, params: dict) -> str:
    """Render a content plot outside the page that needs it, when TASKS names a worker backend.

    Returns the plot's cache key, or "" when every render slot is taken (a later page view tries again).
    With Django's default immediate backend it runs at once, in the request.
    """
    with render_slot() as free:
        return get_or_render(resolve(experiment, params)).key if free else ""

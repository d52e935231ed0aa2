"""Serving plots, and the lab: every experiment with its parameters in the reader's hands."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from studysite.rendering import plain_text
from studysite.throttling import client_address, first_over, in_words

from .core.experiments import EXPERIMENTS, ParameterError, get_experiment
from .core.plots import LAB_FILES, PAGE_FILES
from .figures import PendingPlot, PlotSpec, get_or_render, load_data, ready_plots, resolve
from .forms import ExperimentForm
from .lab_store import evict, touch
from .marks import AnswerMark
from .models import RenderedPlot
from .render_slots import render_slot

CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
YEAR = 365 * 24 * 3600


@require_safe
def plot_file(request: HttpRequest, key: str, digest: str, fmt: str) -> HttpResponse:
    """A rendered plot by content hash: immutable, so browsers and proxies may keep it for a year."""
    plot = RenderedPlot.objects.filter(key=key, status=RenderedPlot.Status.READY).first()
    stored = plot and next(
        (
            entry
            for rendition, entry in plot.files.items()
            if entry["digest"] == digest and rendition.endswith(f".{fmt}")
        ),
        None,
    )
    if not stored:
        raise Http404("No such plot.")
    if request.headers.get("If-None-Match") == f'"{digest}"':
        response = HttpResponse(status=304)
    else:
        response = FileResponse(default_storage.open(stored["name"], "rb"))
        response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response["ETag"] = f'"{digest}"'
    return response


BUSY_RETRY_SECONDS = 2
LAYOUT_HEADER = "X-Lab-Layout"  # "wide" or "narrow": the rendition the lab page shows
NEW_NETWORK = "new_network"


@dataclass(frozen=True)
class Refusal:
    """Why a lab request gets no plot now: over its client's rate, or every render slot taken."""

    status: int
    retry_after: int
    message: str

    @property
    def wait(self) -> str:
        return in_words(self.retry_after)

    def headers(self, response: HttpResponse) -> HttpResponse:
        response["Retry-After"] = str(self.retry_after)
        # A busy lab is the bound working, not a server error: Django would log every 503 as one, and a
        # flood of them would cost log storage, the very thing being bounded.
        response._has_been_logged = True
        return response


def lab_files(request: HttpRequest) -> frozenset[str]:
    """What a lab redraw writes: the SVG of the layout the page shows (lab.js names it in a header as
    the reader drags), or, for a page loaded without JavaScript, both layouts' SVGs for its <picture>."""
    layout = request.headers.get(LAYOUT_HEADER, "")
    return LAB_FILES.get(layout, PAGE_FILES)


def lab_plot(request: HttpRequest, spec: PlotSpec, files: frozenset[str]) -> RenderedPlot | Refusal:
    """The plot with these files from the store, or drawn now within this client's rate and the host's
    render slots. A lab redraw asks for one layout's SVG (``lab_files``); a page's figure for both."""
    plot = ready_plots([spec.key]).get(spec.key)
    if plot is not None and plot.has_files(files):
        touch(plot)
        return plot
    if wait := first_over(request, "lab-render", [(settings.LAB_RENDERS_PER_CLIENT, client_address)]):
        return Refusal(429, wait, "You have run many new simulations in a short while.")
    with render_slot() as free:
        if not free:
            return Refusal(503, BUSY_RETRY_SECONDS, "The lab is busy drawing other plots right now.")
        plot = get_or_render(spec, files)
    evict()
    return plot


@require_safe
def lab_figure(request: HttpRequest, name: str) -> HttpResponse:
    """A plot as a page's figure, drawn now within the lab's bounds: what feedback fetches after it shows.

    A refusal is a figure-sized note with a link to the lab, answered 200 so that htmx swaps it in.
    ``mark`` (panel, x, y) places the learner's answer over it; it changes nothing that is drawn.
    """
    params = query_params(request)
    try:
        mark = AnswerMark.from_query(params.pop("mark")) if "mark" in params else None
    except ValueError:
        return HttpResponse(
            "mark: give the panel, x and y of the answer, as 0,20,0.35.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    spec = spec_or_error(name, params)
    if isinstance(spec, HttpResponse):
        return spec
    plot = lab_plot(request, spec, PAGE_FILES)
    context = {"plot": plot, "pending": PendingPlot(spec), "mark": mark}
    return render(request, "rnnsim/_lab_figure.html", context)


def spec_or_error(name: str, params) -> PlotSpec | HttpResponse:
    try:
        return resolve(name, params)
    except ParameterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")


def query_params(request: HttpRequest) -> dict[str, str]:
    """Experiment parameters from the query string; the last value wins, as in the no-JS form."""
    return {key: request.GET[key] for key in request.GET}


@require_safe
def lab_index(request: HttpRequest) -> HttpResponse:
    return render(request, "rnnsim/lab_index.html", {"experiments": EXPERIMENTS.values()})


@require_safe
@vary_on_headers("HX-Request", LAYOUT_HEADER)
def lab_experiment(request: HttpRequest, name: str) -> HttpResponse:
    """One experiment: its parameters as a GET form (so a lab URL is a shareable link) and its plot."""
    try:
        experiment = get_experiment(name)
    except KeyError:
        raise Http404("There is no experiment of that name.") from None
    if NEW_NETWORK in request.GET:  # the "New random network" button, without JavaScript
        params = {key: request.GET[key] for key in request.GET if key != NEW_NETWORK}
        params["seed"] = str(secrets.randbelow(2**31))
        return redirect(f"{reverse('lab-experiment', args=[name])}?{urlencode(params)}")
    data = request.GET or None
    form = ExperimentForm(experiment, data, initial=experiment.defaults)
    plot, status = None, 200
    if data is not None and not form.is_valid():
        status = 400
    else:
        plot = lab_plot(request, form.spec if data is not None else resolve(name), lab_files(request))
    refusal = plot if isinstance(plot, Refusal) else None
    if refusal is not None:
        plot, status = None, refusal.status
    values = data if data is not None else experiment.defaults
    fields = [
        {
            "param": p,
            "value": values.get(p.name, p.default),
            "id": f"param-{p.name}",
            "is_seed": p.name == "seed",
        }
        for p in experiment.params
    ]
    context = {
        "experiment": experiment,
        "form": form,
        "fields": fields,
        "plot": plot,
        "refusal": refusal,
        "query": plot.params_query if plot else "",
    }
    template_name = "rnnsim/lab_experiment.html"
    if request.htmx:
        template_name += "#lab-result"
    response = render(request, template_name, context, status=status)
    return refusal.headers(response) if refusal else response


@require_safe
def lab_data(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """The numbers behind a lab plot, as CSV or JSON, with its claim, title and file URLs."""
    spec = spec_or_error(name, query_params(request))
    if isinstance(spec, HttpResponse):
        if fmt == "json":
            return JsonResponse({"error": spec.content.decode()}, status=400)
        return spec
    plot = lab_plot(request, spec, lab_files(request))
    if isinstance(plot, Refusal):
        if fmt == "json":
            body = {"error": plot.message, "retry_after": plot.retry_after}
            return plot.headers(JsonResponse(body, status=plot.status))
        text = f"{plot.message} Try again in {plot.wait}."
        return plot.headers(HttpResponse(text, status=plot.status, content_type="text/plain; charset=utf-8"))
    data = load_data(plot)
    if fmt == "json":
        # Title and caption are Markdown with $LaTeX$; title_text is the title in plain words (a status line).
        payload = data | {
            "title_text": plain_text(plot.title),
            "alt": plot.alt,
            "png": plot.png_url if plot.has_png else None,
            "svg": plot.svg_url,
        }
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "allow_nan": False})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(data["columns"])
    writer.writerows(data["rows"])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

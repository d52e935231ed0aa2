"""Five sample variants of a question template, for the instructor writing it, before it is saved."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .core.experiments import ParameterError
from .core.plots import PAGE_FILES
from .core.templates import Template, Variant, show_number
from .figures import resolve
from .variants import fill, problems_of
from .views import Refusal, lab_plot

SAMPLES = 5


@dataclass(frozen=True)
class Sample:
    variant: Variant
    text: str
    explanation: str
    key: str
    tolerance: str
    choices: list[tuple[str, str]]  # each choice's text, and "right" or the wrong reasoning it stands for
    plot: object  # a RenderedPlot, or the Refusal that says why there is none yet


def choice_note(template: Template, rule: str) -> str:
    if not rule:
        return "right"
    distractor = template.quantity.distractors.get(rule)
    return distractor.label if distractor else "another outcome"


@require_POST
@staff_member_required
def template_preview(request: HttpRequest) -> HttpResponse:
    """The template's problems, or five variants with their keys, choices and plots (bounded renders)."""
    context: dict = {"problems": [], "samples": []}
    try:
        data = json.loads(request.POST.get("template", "") or "null")
        template = Template.from_json(data)
        context["problems"] = problems_of(json.dumps(data, sort_keys=True))  # within the check's time
    except (ValueError, ParameterError) as error:
        context["problems"] = [f"template: {error}"]
        return render(request, "rnnsim/template_preview.html", context, status=400)
    rng = random.Random("preview")  # noqa: S311 - the same five samples each time, until the template changes
    for _ in range(SAMPLES if not context["problems"] else 0):
        variant = template.draw(rng)
        plot = lab_plot(request, resolve(template.experiment.name, variant.run_params), PAGE_FILES)
        context["samples"].append(
            Sample(
                variant=variant,
                text=fill(request.POST.get("text", ""), variant),
                explanation=fill(request.POST.get("explanation", ""), variant),
                key=variant.key_text,
                tolerance=show_number(variant.tolerance) if variant.tolerance else "",
                choices=[(choice.text, choice_note(template, choice.rule)) for choice in variant.choices],
                plot=plot,
            )
        )
    context["refused"] = any(isinstance(sample.plot, Refusal) for sample in context["samples"])
    context["quantity"] = template.quantity
    return render(
        request, "rnnsim/template_preview.html", context, status=400 if context["problems"] else 200
    )

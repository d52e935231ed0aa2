"""Question templates on the site's side: validated as content is saved, drawn for a learner, filled in.

The engine (rnnsim.core.templates) draws variants and computes their keys; this module turns a
template into the text, choices and plot spec a page shows, and refuses a template any of whose
allowed draws the engine could not answer.
"""

from __future__ import annotations

import copy
import functools
import json
import random
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError

from .core.experiments import ParameterError
from .core.templates import Template, Variant, show_number
from .figures import engine_version

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")  # {{rho}}: single braces stay LaTeX's, as in \rho^{k}


@functools.lru_cache(maxsize=128)
def parsed(frozen: str) -> Template:
    return Template.from_json(json.loads(frozen))


FILE_DEADLINE: ContextVar[float | None] = ContextVar("template_file_deadline", default=None)


@functools.lru_cache(maxsize=64)
def problems_of(frozen: str) -> list[str]:
    """Every allowed draw's problem: the engine is deterministic, so a template is checked once a process.

    The check stops, with a ParameterError, after STUDYSITE_TEMPLATE_CHECK_SECONDS, or sooner when the
    file being imported has used its STUDYSITE_IMPORT_TEMPLATE_SECONDS (a refusal is not cached).
    """
    deadline = time.monotonic() + settings.STUDYSITE_TEMPLATE_CHECK_SECONDS
    shared = FILE_DEADLINE.get()
    return parsed(frozen).problems(deadline if shared is None else min(deadline, shared))


@contextmanager
def one_files_checking() -> Iterator[None]:
    """Let the templates of one imported file share one checking budget, however many it holds."""
    token = FILE_DEADLINE.set(time.monotonic() + settings.STUDYSITE_IMPORT_TEMPLATE_SECONDS)
    try:
        yield
    finally:
        FILE_DEADLINE.reset(token)


def template_of(data: dict) -> Template:
    """The engine's template for stored JSON, parsed once per process."""
    return parsed(json.dumps(data, sort_keys=True))


def validate_template(value: object) -> None:
    """Model-field validator: refuse a template with any allowed draw the engine cannot answer."""
    if value in (None, {}):
        return
    if not isinstance(value, dict):
        raise ValidationError(
            "A template is an object with experiment, quantity and params.", code="invalid_template"
        )
    try:
        problems = problems_of(json.dumps(value, sort_keys=True))
    except ParameterError as error:
        raise ValidationError(str(error), code="invalid_template") from None
    if problems:
        more = f" (and {len(problems) - 3} more draws)" if len(problems) > 3 else ""
        raise ValidationError("; ".join(problems[:3]) + more, code="template_draw")


def draw(data: dict, seed: str) -> Variant:
    """The variant a seed draws, the same one every time: one of the template's pool, when it has one.

    A pool (STUDYSITE_VARIANT_POOL variants per template) can be rendered ahead by render_plots, so
    feedback never waits for a simulation; 0 draws from every allowed variant and renders on demand.
    """
    frozen = json.dumps(data, sort_keys=True)
    size = settings.STUDYSITE_VARIANT_POOL
    if size <= 0:
        return parsed(frozen).draw(random.Random(seed))  # noqa: S311 - variety, not secrecy
    index = random.Random(seed).randrange(size)  # noqa: S311
    return pool_variant(frozen, index)


# A learner's question page and answer both ask for their variant; a pool's is the same every time, so
# a process runs its experiment and reads its key once, not on every request (the cost experiment's
# count alone is a few ms). Templates are few and pools small: this holds every variant of the seed's.
@functools.lru_cache(maxsize=2048)
def pool_variant(frozen: str, index: int) -> Variant:
    """The pool's variant number ``index`` of the template stored as ``frozen`` JSON."""
    return parsed(frozen).variant(pool_values(json.loads(frozen), index))


def pool_values(data: dict, index: int) -> dict[str, float | int]:
    """The parameters of the pool's variant number ``index``: fixed by the template's own content."""
    frozen = json.dumps(data, sort_keys=True)
    return template_of(data).draw_values(random.Random(f"pool:{frozen}:{index}"))  # noqa: S311


def pool_plot_specs(data: dict) -> list[dict]:
    """The plot of every variant in the template's pool, without running any: what render_plots draws."""
    template = template_of(data)
    return [
        {"experiment": template.experiment.name, "params": template.run_params(pool_values(data, index))}
        for index in range(max(settings.STUDYSITE_VARIANT_POOL, 0))
    ]


def fixed_variants(data: dict, identity: str) -> Iterator[tuple[str, Variant]]:
    """STUDYSITE_EXPORTED_VARIANTS distinct variants, the same for this identity every time, each with a
    GUID of its own: what a file without simulations (Anki, CSV, GIFT, Moodle XML) holds of a template.
    """
    template, seen = template_of(data), set()
    wanted = settings.STUDYSITE_EXPORTED_VARIANTS
    for attempt in range(4 * wanted):  # a small range may repeat a draw: a few spare seeds skip it
        variant = template.draw(random.Random(f"export:{identity}:{attempt}"))  # noqa: S311
        drawn = json.dumps(variant.params, sort_keys=True)
        if drawn in seen:
            continue
        seen.add(drawn)
        yield uuid.uuid5(uuid.NAMESPACE_URL, f"studysite:variant:{identity}:{len(seen)}").hex, variant
        if len(seen) == wanted:
            return


def fill(text: str, variant: Variant) -> str:
    """The text with its {{name}} placeholders replaced by the variant's numbers; other braces stay."""
    values = variant.shown | {"key": variant.key_text, "tolerance": show_number(variant.tolerance)}
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)


def filled_copy(content, variant: Variant, fields: tuple[str, ...]):
    """An unsaved copy of a template's content (a question, a card) with the variant's numbers in its
    text fields, the variant's plot and the variant itself, its HTML drawn again."""
    filled = copy.copy(content)
    for name in fields:
        setattr(filled, name, fill(getattr(content, name), variant))
    filled.plot = plot_spec(content.template, variant)
    filled.variant = variant
    filled.render()
    return filled


def stored(variant: Variant) -> dict:
    """What an answer keeps of its variant: enough to show it and to know what graded it."""
    return variant.as_json() | {"engine": engine_version()}


def plot_spec(data: dict, variant: Variant) -> dict:
    """The variant's own plot: the experiment run with the variant's parameters."""
    return {"experiment": template_of(data).experiment.name, "params": variant.run_params}

"""The bounded store: plots only the lab asked for are evicted least recently used first, past a size cap.

Plots that content references (any model field of the plot-spec type, found through the app
registry) are never evicted, so no learner's page loses its explanation; every other rendered plot,
a lab visitor's or one left behind by an edit or an engine change, counts against
``LAB_STORE_BYTES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.utils import timezone

from .core.plots import EXPORT_FILES, PAGE_FILES
from .fields import PlotSpecModelField, TemplateModelField, WhatIfModelField
from .figures import PlotSpec, spec_from_json
from .models import RenderedPlot
from .variants import pool_plot_specs

TOUCH_EVERY = timedelta(
    hours=1
)  # a plot in use is marked at most this often: one write per hour, not per view


def content_plots() -> Iterator[tuple[PlotSpec, frozenset[str]]]:
    """Every plot spec content shows (a template's: its pool's), with the files its use needs: both
    layouts' SVGs for pages, and the PNG exports embed for a question's, a choice's or a card's own plot."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, PlotSpecModelField | TemplateModelField | WhatIfModelField):
                files = EXPORT_FILES if isinstance(field, PlotSpecModelField) else PAGE_FILES
                values = model._default_manager.exclude(**{f"{field.name}__isnull": True})
                for value in values.values_list(field.name, flat=True):
                    for spec in filter(None, map(spec_from_json, plot_specs_of(field, value))):
                        yield spec, files


def referenced_specs() -> dict[str, PlotSpec]:
    """Every distinct plot spec content shows, by cache key, from any app."""
    return {spec.key: spec for spec, _ in content_plots()}


def plot_specs_of(field: object, value: object) -> list:
    """The plots one content field's value shows: its own, its template pool's, or its what-if's."""
    if isinstance(field, TemplateModelField):
        return pool_plot_specs(value)
    if isinstance(field, WhatIfModelField):
        return field.plot_specs(value)
    return [value]


def touch(plot: RenderedPlot) -> None:
    """Mark a plot as used now, so the store keeps what visitors still look at."""
    now = timezone.now()
    if now - plot.last_used_at > TOUCH_EVERY:
        RenderedPlot.objects.filter(pk=plot.pk).update(last_used_at=now)


# Past its cap, the store is trimmed to this share of it, so that a store sitting at its cap scans
# the content for referenced plots (tens of ms with the seed's variant pools) once per tenth of the
# cap's worth of new plots, not on every lab redraw.
EVICT_DOWN_TO = 0.9


def evict(limit: int | None = None) -> int:
    """Past ``limit`` bytes, delete the least recently used unreferenced plots until they fit in
    EVICT_DOWN_TO of it; how many went. Within the limit, one sum over the store is all it costs."""
    limit = settings.LAB_STORE_BYTES if limit is None else limit
    ready = RenderedPlot.objects.filter(status=RenderedPlot.Status.READY)
    if (ready.aggregate(total=Sum("size_bytes"))["total"] or 0) <= limit:
        return 0  # even with every referenced plot counted, the store fits
    unreferenced = ready.exclude(key__in=list(referenced_specs()))
    total = unreferenced.aggregate(total=Sum("size_bytes"))["total"] or 0
    if total <= limit:
        return 0
    evicted = 0
    for plot in unreferenced.order_by("last_used_at").iterator():
        if total <= limit * EVICT_DOWN_TO:
            break
        for name in plot.stored_names():
            default_storage.delete(name)
        RenderedPlot.objects.filter(pk=plot.pk).delete()
        total -= plot.size_bytes
        evicted += 1
    return evicted

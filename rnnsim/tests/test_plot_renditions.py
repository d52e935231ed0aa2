"""Every plot's renditions: on a phone its smallest text stays legible; in either layout no text runs
off the figure and no axis label runs into other text.

A 390 px screen shows a plot at 290 to 358 CSS px (a results review is the narrowest place; the
browser tests measure it). The phone rendition is 320 px wide, so its type is scaled by at least
290/320 there. Scripts inside $math$ (subscripts, exponents) are drawn at 70% of their text, as MathML
draws them in the page's captions; the size checked is the text's own.
"""

from __future__ import annotations

import re

import matplotlib
import pytest
from matplotlib.text import Text

from rnnsim.core.experiments import EXPERIMENTS
from rnnsim.core.plots import LAYOUTS, NARROW, STYLE, make_plot, make_plots

from .quick import quick_params

NARROWEST_SHOWN_PX = 290
SMALLEST_TEXT_PX = 11


def drawn_texts(figure) -> list[Text]:
    """Every piece of text the figure draws: tick labels in view, axis labels, legends, notes."""
    texts = list(figure.texts)
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            ticks = [
                tick
                for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                if low <= tick.get_loc() <= high
            ]
            texts += [axis.label, *(tick.label1 for tick in ticks), *(tick.label2 for tick in ticks)]
        texts += [ax.title, *ax.texts]
        if ax.get_legend():
            texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
    return [text for text in texts if text.get_visible() and text.get_text().strip()]


@pytest.fixture(scope="module", params=sorted(EXPERIMENTS))
def narrow_plot(request):
    with matplotlib.rc_context(STYLE | NARROW.fonts):
        figure = make_plots(request.param, quick_params(request.param))[NARROW.name].figure
        figure.canvas.draw()
        yield request.param, figure


def test_the_phone_rendition_is_its_own_stacked_layout(narrow_plot) -> None:
    name, figure = narrow_plot
    assert figure.get_size_inches()[0] == NARROW.width_in
    panels = [ax for ax in figure.axes if ax.get_label() != "<colorbar>" and not hasattr(ax, "_twinned")]
    lefts = {round(ax.get_position().x0, 2) for ax in panels if ax.get_xlabel()}
    assert len(lefts) == 1, f"{name}: panels stand one above the other, not side by side"


def test_its_smallest_text_is_legible_where_a_phone_shows_it_narrowest(narrow_plot) -> None:
    name, figure = narrow_plot
    scale = NARROWEST_SHOWN_PX / (NARROW.width_in * 100)
    for text in drawn_texts(figure):
        css_px = text.get_fontsize() * 100 / 72 * scale  # points to CSS px at 100 dpi, then as shown
        assert css_px >= SMALLEST_TEXT_PX, f"{name}: {text.get_text()!r} is {css_px:.1f} px"


@pytest.fixture(
    scope="module", params=[(name, layout) for name in sorted(EXPERIMENTS) for layout in LAYOUTS], ids=str
)
def drawn_plot(request):
    """Each experiment in each layout, at its defaults: what the lab first shows."""
    name, layout = request.param
    with matplotlib.rc_context(STYLE | layout.fonts):
        figure = make_plots(name, quick_params(name), (layout,))[layout.name].figure
        figure.canvas.draw()
        yield f"{name} {layout.name}", figure


def test_no_text_runs_off_the_figure(drawn_plot) -> None:
    name, figure = drawn_plot
    renderer = figure.canvas.get_renderer()
    bounds = figure.bbox
    for text in drawn_texts(figure):
        box = text.get_window_extent(renderer)
        where = f"{name}: {text.get_text()!r} at {box.bounds}"
        assert bounds.x0 - 1 <= box.x0, where
        assert box.x1 <= bounds.x1 + 1, where
        assert bounds.y0 - 1 <= box.y0, where
        assert box.y1 <= bounds.y1 + 1, where


def test_no_axis_label_runs_into_other_text(drawn_plot) -> None:
    """A twin axis's label between two panels once ran through the next panel's label."""
    name, figure = drawn_plot
    renderer = figure.canvas.get_renderer()
    texts = drawn_texts(figure)
    labels = [text for ax in figure.axes for text in (ax.xaxis.label, ax.yaxis.label) if text in texts]
    for label in labels:
        box = label.get_window_extent(renderer).padded(-1)
        for other in texts:
            if other is not label:
                assert not box.overlaps(other.get_window_extent(renderer)), (
                    f"{name}: {label.get_text()!r} runs into {other.get_text()!r}"
                )


def test_texts_name_panels_in_words_true_of_both_layouts(narrow_plot) -> None:
    """A phone stacks the panels, so a caption's "Left:" would point at nothing there."""
    name, _ = narrow_plot
    plot = make_plot(name, quick_params(name))
    for text in (plot.title, plot.caption, plot.alt):
        assert not re.search(r"\b(left|right)\b(?! of)", text, re.IGNORECASE), (name, text)


def test_a_drawing_of_every_file_keeps_the_stacked_layout_measured() -> None:
    """An export's drawing writes both layouts' SVGs and the wide PNG in one go."""
    import warnings

    from rnnsim.core.plots import EXPORT_FILES, render

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns when a constrained layout collapses
        rendered = render("rho-power-law", {"rho": 1.1, "T": 20}, EXPORT_FILES)
    assert set(rendered.images) == EXPORT_FILES


def test_its_log_axes_carry_no_unlabelled_minor_ticks(narrow_plot) -> None:
    """A phone's log axis labels its decades alone; a minor tick it cannot label costs a redraw as much."""
    name, figure = narrow_plot
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "log":
                assert axis.get_minorticklocs().size == 0, f"{name}: {axis.axis_name} axis"

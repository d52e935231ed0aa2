"""Every experiment's plot: drawn with Figure, titled with its finding, captioned from its numbers."""

from __future__ import annotations

import gc
import io
import re

import matplotlib
import numpy as np
import pytest
from matplotlib import _mathtext, _text_helpers
from matplotlib import text as matplotlib_text
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from PIL import Image

from rnnsim.core import glyph_cache, text_layout_cache
from rnnsim.core.experiments import EXPERIMENTS
from rnnsim.core.plots import (
    EXPORT_FILES,
    LAB_FILES,
    PAGE_FILES,
    PLOTTERS,
    STYLE,
    WIDE,
    make_plot,
    png_bytes,
    power_of_ten,
    render,
    sci,
)
from studysite.rendering import render_markdown_inline

from .quick import quick_params


def test_every_experiment_has_a_plot() -> None:
    assert set(PLOTTERS) == set(EXPERIMENTS)


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_plot_is_labelled_captioned_and_carries_its_numbers(name, draw_each_plot_once) -> None:
    params = quick_params(name)
    plot = make_plot(name, params)
    for ax in plot.figure.axes:
        assert ax.get_ylabel(), name  # every axis, colour bars and twin axes included, says what it measures
        if ax.get_label() != "<colorbar>":
            siblings = ax.get_shared_x_axes().get_siblings(ax)
            assert any(sibling.get_xlabel() for sibling in siblings), name
    assert plot.title
    assert plot.figure.get_suptitle() == ""  # the title is drawn once, as the page's caption
    assert plot.caption
    assert plot.alt
    assert any(ch.isdigit() for ch in plot.caption), "the caption quotes the result's numbers"
    assert len(plot.rows) > 3
    assert all(isinstance(series, str) for series, _, _ in plot.rows)
    rendered = draw_each_plot_once(name, params, EXPORT_FILES)
    assert rendered.sizes["wide"] == (720, 430)
    for layout, (width, height) in rendered.sizes.items():
        svg = rendered.images[f"{layout}.svg"]
        size = f'width="{width}px" height="{height}px" viewBox="0 0 {width * 0.72:g} {height * 0.72:g}"'
        assert size.encode() in svg  # CSS px, as the page lays it out; drawn in points inside
    png = rendered.images["wide-2x.png"]  # what exports embed: the wide layout, sharp on a 2x screen
    assert png.startswith(b"\x89PNG")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1440, 860)


def test_exponential_plots_use_a_log_scale() -> None:
    plot = make_plot("rho-power-law", {"rho": 1.2, "T": 50})
    assert plot.figure.axes[0].get_yscale() == "log"
    assert "grows to 9.1e3" in plot.title
    assert "after 50 steps" in plot.title


def test_caption_numbers_come_from_the_result() -> None:
    plot = make_plot("rho-power-law", {"rho": 0.9, "T": 100})
    assert "2.7e-5" in plot.title  # 0.9**100
    assert f"{sci(0.9**100)}" in plot.caption


def test_residual_plot_never_claims_the_gradient_stays_at_one() -> None:
    plot = make_plot("residual-paths", EXPERIMENTS["residual-paths"].defaults)
    assert "can grow" in plot.caption
    assert "stays at 1" not in plot.caption


def test_plots_are_deterministic_bytes(draw_each_plot_once) -> None:
    first = draw_each_plot_once("pascanu-bound", {"s": 0.9, "T": 30, "n": 8, "seed": 1})
    second = draw_each_plot_once("pascanu-bound", {"s": 0.9, "T": 30, "n": 8, "seed": 1})
    assert first.images == second.images


def test_sci_formats_compactly() -> None:
    assert sci(2.66e-5) == "2.7e-5"
    assert sci(9100.0) == "9.1e3"
    assert sci(2.29) == "2.29"
    assert sci(0) == "0"
    assert np.isfinite(float(sci(1.5e-300)))


def drawn(plot):
    plot.figure.canvas.draw()
    return plot.figure.canvas.get_renderer()


def test_unrolling_bars_are_all_visible_on_whole_step_ticks(draw_each_plot_once) -> None:
    """The note box hid bars 13 and 16, so "the largest contribution from step 13" could not be seen."""
    plot = make_plot("unrolling", EXPERIMENTS["unrolling"].defaults)
    renderer = drawn(plot)
    (ax,) = plot.figure.axes
    boxes = [text.get_window_extent(renderer) for text in ax.texts] + [
        ax.get_legend().get_window_extent(renderer)
    ]
    for bar in ax.patches:
        assert not any(box.overlaps(bar.get_window_extent(renderer)) for box in boxes), bar
    ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]]
    assert all(float(tick).is_integer() for tick in ticks)


def test_clipping_legends_cover_no_curve_and_the_title_names_both_moments(draw_each_plot_once) -> None:
    plot = make_plot("clipping", EXPERIMENTS["clipping"].defaults)
    renderer = drawn(plot)
    for ax in plot.figure.axes:
        legend = ax.get_legend().get_window_extent(renderer)
        for line in ax.get_lines():
            points = ax.transData.transform(np.column_stack(line.get_data()))
            inside = [legend.contains(x, y) for x, y in points if np.isfinite(x) and np.isfinite(y)]
            assert not any(inside), line.get_label()
    assert re.search(r"leaves the plotted scale at step 4 and diverges at step \d+", plot.title)
    notes = " ".join(text.get_text() for ax in plot.figure.axes for text in ax.texts)
    assert "off the scale from step 4" in notes


@pytest.mark.parametrize("name", sorted(PLOTTERS))
def test_axis_labels_draw_their_math_as_mathtext(name) -> None:
    """Raw pseudo-TeX such as ‖dL/da_{T−k}‖ on an axis: subscripts and powers belong inside $…$."""
    params = quick_params(name)
    plot = make_plot(name, params)
    for ax in plot.figure.axes:
        legend = [text.get_text() for text in ax.get_legend().get_texts()] if ax.get_legend() else []
        for text in (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), *legend):
            outside_math = re.sub(r"\$[^$]*\$", "", text)
            assert not re.search(r"[_^]", outside_math), (name, text)


@pytest.mark.parametrize("name", sorted(PLOTTERS))
def test_title_and_caption_draw_their_math_as_mathml_and_alt_text_stays_words(name) -> None:
    """Captions were ASCII pseudo-TeX (ρ^k, x_{t−1}, W_aa) beside a page whose math is MathML."""
    params = quick_params(name)
    plot = make_plot(name, params)
    for text in (plot.title, plot.caption):
        html = str(render_markdown_inline(text))
        prose = re.sub(r"<math.*?</math>", "", html, flags=re.DOTALL)
        assert not re.search(r"[_^\\$]|[ρσηλθ∂∇‖′]", prose), (name, prose)
    assert not re.search(r"[$\\{}]|\^|_[a-z{]", plot.alt), (name, plot.alt)


def test_power_of_ten_ticks_are_plain_text_with_superscripts() -> None:
    assert [power_of_ten(v) for v in (1e-5, 3e-5, 1, 10, 100, 2.5e3, 1e300)] == [
        "10⁻⁵",
        "3×10⁻⁵",
        "1",
        "10",
        "10²",
        "2.5×10³",
        "10³⁰⁰",
    ]
    assert power_of_ten(0) == power_of_ten(float("inf")) == ""


def test_minor_ticks_between_a_hundredth_and_one_read_as_decimals() -> None:
    shown = [power_of_ten(v) for v in (0.6, 0.04, 0.1, 0.01, 3e-3)]
    assert shown == ["0.6", "0.04", "10⁻¹", "10⁻²", "3×10⁻³"]


def test_log_axes_label_their_ticks_without_mathtext() -> None:
    plot = make_plot("rho-power-law", EXPERIMENTS["rho-power-law"].defaults)
    plot.figure.canvas.draw()
    labels = [tick.get_text() for tick in plot.figure.axes[0].get_yticklabels() if tick.get_text()]
    assert labels
    assert not any("$" in label for label in labels)  # mathtext was a third of a lab redraw's cost
    assert any(re.fullmatch(r"10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|1|10", label) for label in labels)


def test_a_redraw_reuses_the_math_labels_parsed_for_the_last_file(monkeypatch) -> None:
    """Every renderer has its own mathtext parser; without one shared cache each save parses them again."""
    params, files = EXPERIMENTS["rho-power-law"].defaults, LAB_FILES["wide"]
    first = render("rho-power-law", params, files)
    parsed = []
    real_parse = _mathtext.Parser.parse

    def counted_parse(parser, text, *args):
        parsed.append(text)
        return real_parse(parser, text, *args)

    monkeypatch.setattr(_mathtext.Parser, "parse", counted_parse)
    again = render("rho-power-law", params, files)
    assert parsed == []
    assert again.images == first.images


def test_a_redraw_reuses_the_text_layouts_measured_for_the_last_file(monkeypatch) -> None:
    """A draw lays each text out several times (both passes of a phone's constrained layout, then the
    drawing); without one shared cache every one was measured again, in every redraw."""
    params, files = EXPERIMENTS["lstm-forget-gate"].defaults, LAB_FILES["narrow"]
    first = render("lstm-forget-gate", params, files)
    measured = []
    measure = matplotlib_text._get_text_metrics_with_cache

    def counted_measure(renderer, text, *args, **kwargs):
        measured.append(text)
        return measure(renderer, text, *args, **kwargs)

    monkeypatch.setattr(matplotlib_text, "_get_text_metrics_with_cache", counted_measure)
    again = render("lstm-forget-gate", params, files)
    assert set(measured) <= {"lp"}  # a legend entry measures "lp" for its baseline itself, outside any layout
    assert again.images == first.images


# A colour bar, arrows and boxed notes, legends moved above stacked panels, math, rotated labels.
@pytest.mark.parametrize("name", ["cliff", "clipping", "unrolling", "rho-power-law", "lstm-forget-gate"])
def test_shared_text_layouts_draw_the_bytes_matplotlib_draws_alone(name, monkeypatch) -> None:
    files = EXPORT_FILES  # both layouts' SVGs and the wide PNG
    shared = render(name, EXPERIMENTS[name].defaults, files)
    monkeypatch.setattr(Text, "_get_layout", text_layout_cache._layout_uncached)
    assert render(name, EXPERIMENTS[name].defaults, files).images == shared.images


def test_a_redraw_traces_no_glyph_again(monkeypatch) -> None:
    """Every SVG defines its glyphs, but their outlines come from FreeType once per process."""
    params, files = EXPERIMENTS["clipping-direction"].defaults, LAB_FILES["wide"]
    first = render("clipping-direction", params, files)
    traced = []
    layout = _text_helpers.layout

    def counted_layout(string, *args, **kwargs):
        traced.append(string)
        return layout(string, *args, **kwargs)

    monkeypatch.setattr(_text_helpers, "layout", counted_layout)
    again = render("clipping-direction", params, files)
    assert traced == []
    assert again.images == first.images


@pytest.mark.parametrize("name", ["cliff", "clipping", "unrolling", "truncated-bptt"])
def test_shared_glyphs_draw_the_bytes_matplotlib_draws_alone(name, monkeypatch) -> None:
    params = quick_params(name)
    shared = render(name, params, PAGE_FILES)
    monkeypatch.setattr(TextToPath, "get_glyphs_with_font", glyph_cache._glyphs_uncached)
    alone = render(name, params, PAGE_FILES)
    assert alone.images == shared.images
    assert all(svg.count(b"<use ") > 10 for svg in alone.images.values())  # its text is drawn as glyphs


def test_exported_pngs_are_the_pixels_matplotlib_draws_without_an_alpha_channel() -> None:
    params = EXPERIMENTS["lstm-forget-gate"].defaults
    with matplotlib.rc_context(STYLE | WIDE.fonts):
        own = io.BytesIO()
        make_plot("lstm-forget-gate", params).figure.savefig(own, format="png", dpi=200)
        png = Image.open(io.BytesIO(png_bytes(make_plot("lstm-forget-gate", params).figure)))
    assert png.mode == "RGB"
    assert np.array_equal(np.asarray(png), np.asarray(Image.open(own).convert("RGB")))


def test_a_plot_with_a_see_through_background_is_refused_rather_than_flattened() -> None:
    figure = make_plot("rho-power-law", EXPERIMENTS["rho-power-law"].defaults).figure
    figure.patch.set_alpha(0.0)
    with pytest.raises(ValueError, match="opaque"):
        png_bytes(figure)


def test_log_axes_over_many_decades_mark_the_decades_alone() -> None:
    plot = make_plot("clipping", EXPERIMENTS["clipping"].defaults)
    plot.figure.canvas.draw()
    loss_axis = plot.figure.axes[0].yaxis
    low, high = loss_axis.get_view_interval()
    assert np.log10(high / low) > 3
    assert loss_axis.get_minorticklocs().size == 0  # dozens of minor ticks were half of a redraw


def test_log_axes_over_few_decades_keep_minor_ticks_labelled_in_plain_text() -> None:
    plot = make_plot("bptt-cost", quick_params("bptt-cost") | {"max_T": 400, "max_n": 320})
    plot.figure.canvas.draw()
    time_axis = plot.figure.axes[0].yaxis
    assert time_axis.get_minorticklocs().size > 0
    texts = [label.get_text() for ax in plot.figure.axes for label in ax.get_yticklabels(minor=True)]
    assert not any("$" in text for text in texts)
    lengths = [label.get_text() for label in plot.figure.axes[0].get_xticklabels()]
    assert lengths == ["25", "50", "100", "200", "400"]  # the lengths measured, not powers of ten


def test_a_render_frees_its_figures_before_it_returns() -> None:
    """Figures are reference cycles; left for the collector, they cost a later request a full collection."""
    gc.collect()
    render("rho-power-law", EXPERIMENTS["rho-power-law"].defaults, LAB_FILES["narrow"])
    assert not [thing for thing in gc.get_objects() if isinstance(thing, Figure)]
    assert gc.isenabled()

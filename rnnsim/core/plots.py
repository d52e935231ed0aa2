"""One teaching plot per experiment, drawn with matplotlib.figure.Figure (no pyplot state).

Every plot states its finding in the title, labels its axes with units, uses a logarithmic scale
where growth is exponential, marks the key point, and comes with a caption and alt text written from
the result's own numbers. The numbers behind it are returned as a long table (series, x, y) for download.
"""

from __future__ import annotations

import gc
import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import (
    FuncFormatter,
    LogFormatter,
    LogFormatterSciNotation,
    LogLocator,
    MaxNLocator,
    NullLocator,
)
from PIL import Image

from .experiments import get_experiment
from .glyph_cache import share_glyphs
from .mathtext_cache import share_mathtext_cache
from .text_layout_cache import share_text_layouts
from .training import DIVERGED_LOSS
from .visible_ticks import visible_ticks_only

share_glyphs()
share_mathtext_cache()
share_text_layouts()

# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY)
FLOOR = 1e-17  # where a log axis shows an exact zero
CEILING = DIVERGED_LOSS  # where a log axis stops following a divergence (it is annotated instead)
STYLE = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "svg.hashsalt": "studysite",  # deterministic SVG ids, so identical plots are identical bytes
    # Titles at the top of their panel: no plot has ticks above a panel, and placing them automatically
    # measured every tick label of the panel three times per draw (a few % of a redraw, same bytes).
    "axes.titley": 1.0,
}


@dataclass(frozen=True)
class Layout:
    """One rendition of every plot: the page's wide figure, or a phone's, with panels stacked.

    Sizes are CSS pixels at 100 dpi. ``media`` is the query under which a page serves this rendition.
    The phone rendition's type is sized for the narrowest place a plot is shown (about 290 CSS px, in
    a review on a 390 px screen): its smallest text, 9.5 pt on a 320 px figure, is still 11.9 CSS px there.
    """

    name: str
    width_in: float
    panel_height_in: float
    stacked: bool
    media: str
    sizes: str  # how wide the page shows it, for srcset to pick the file
    fonts: dict[str, float]


WIDE = Layout(
    "wide",
    7.2,
    4.3,
    stacked=False,
    media="",
    sizes="(max-width: 45rem) 100vw, 45rem",
    fonts={"font.size": 11, "axes.titlesize": 10, "axes.labelsize": 11, "legend.fontsize": 9,
           "xtick.labelsize": 10, "ytick.labelsize": 10},
)  # fmt: skip
NARROW = Layout(
    "narrow",
    3.2,
    3.2,
    stacked=True,
    media="(max-width: 600px)",
    sizes="100vw",
    fonts={"font.size": 11.5, "axes.titlesize": 10.5, "axes.labelsize": 10.5, "legend.fontsize": 9.5,
           "xtick.labelsize": 10, "ytick.labelsize": 10},
)  # fmt: skip
LAYOUTS = (WIDE, NARROW)
PNG_SCALE = 2  # an exported PNG's pixels per CSS pixel: sharp on a 2x screen


@dataclass(frozen=True)
class Plot:
    figure: Figure
    title: str
    caption: str
    alt: str
    x_label: str
    y_label: str
    rows: list[tuple[str, float, float]]  # (series, x, y): the numbers drawn


@dataclass(frozen=True)
class RenderedPlot:
    """Every rendition of one run: ``images`` by file name ("wide.svg", "narrow.svg", "wide-2x.png")."""

    images: dict[str, bytes]
    sizes: dict[str, tuple[int, int]]  # CSS px of each layout's figure
    frames: dict[str, list[dict]]  # each layout's panels as drawn, for marking a point on them later
    title: str
    caption: str
    alt: str
    claim: str
    x_label: str
    y_label: str
    rows: list[tuple[str, float, float]]


def sci(value: float) -> str:
    """1.2e-05 as "1.2e-5", 2.3 as "2.3": short, and unambiguous in alt text."""
    if value == 0:
        return "0"
    if 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def new_figure(layout: Layout, panels: int = 1) -> tuple[Figure, list[Axes]]:
    """A figure with ``panels`` axes: side by side on the page, stacked on a phone."""
    if layout.stacked:
        # Stacked panels of any content (colour bars, twin axes, legends above) lay out well only by measuring.
        figure = Figure(
            figsize=(layout.width_in, layout.panel_height_in * panels), dpi=100, layout="constrained"
        )
        axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
    else:
        figure = Figure(figsize=(layout.width_in, layout.panel_height_in), dpi=100)
        axes = figure.subplots(1, panels, squeeze=False)[0]
        # A fixed layout is four times cheaper than tight_layout and stays stable from plot to plot. The
        # title is the page's figure caption, in HTML, so it is drawn once and stays legible on a phone.
        left = 0.11 if panels == 1 else 0.1
        figure.subplots_adjust(left=left, right=0.97, bottom=0.14, top=0.93, wspace=0.32)
    FigureCanvasAgg(figure)
    return figure, list(axes)


def wrap(text: str, width: int) -> str:
    """Break a label into lines of about ``width`` characters, never inside $math$."""
    lines: list[str] = []
    for word in re.findall(r"\$[^$]*\$|[^\s$]+", text):
        shown = len(re.sub(r"\\[a-zA-Z]+|[{}_^$\\,]", "", word))  # what a reader sees of it
        if lines and lines[-1][1] + 1 + shown <= width:
            lines[-1] = (f"{lines[-1][0]} {word}", lines[-1][1] + 1 + shown)
        else:
            lines.append((word, shown))
    return "\n".join(line for line, _ in lines)


def fit_narrow(figure: Figure) -> None:
    """Make a plot drawn for the page fit a phone's stacked panels, whatever the plot.

    Labels and notes wrap, ticks thin out, each legend moves above its panel (taking the panel's title),
    and each note faces away from the nearer edge, so nothing runs off a 320 px figure.
    """
    for ax in figure.axes:
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            axis.label.set_text(wrap(axis.label.get_text(), 26))
            if isinstance(axis.get_major_locator(), MaxNLocator):  # not a bar chart's fixed categories
                ax.locator_params(axis=name, nbins=4)
            elif isinstance(axis.get_major_locator(), LogLocator):  # not ticks a plot placed
                axis.set_major_locator(LogLocator(numticks=5))
                axis.set_minor_locator(NullLocator())  # unlabelled on a phone, yet half a redraw of bptt-cost
        legend = ax.get_legend()
        if legend is not None:
            title = ax.get_title()
            ax.set_title("")
            ax.legend(
                legend.legend_handles,
                [wrap(text.get_text(), 28) for text in legend.get_texts()],
                loc="lower left",
                bbox_to_anchor=(0, 1.02, 1, 0.1),
                mode="expand",  # as wide as its panel, so it never widens the figure
                borderaxespad=0,
                title=wrap(title, 34) or None,
                title_fontsize="medium",
                alignment="left",
            )
        for note in ax.texts:
            note.set_text(wrap(note.get_text(), 22))
            note.set_in_layout(False)  # notes sit on the data; the layout makes room for labels and legends
            if isinstance(note, Annotation):
                anchor = note.xy if note.xycoords == "axes fraction" else ax.transData.transform(note.xy)
                if note.xycoords != "axes fraction":
                    anchor = ax.transAxes.inverted().transform(anchor)
                # Face the note away from the nearer edge: left of its point near the right, centred mid-way.
                side = "left" if anchor[0] < 0.3 else ("right" if anchor[0] > 0.7 else "center")
                note.set_horizontalalignment(side)
                if side != "left" and note.anncoords == "offset points":
                    dx, dy = note.xyann
                    note.xyann = (-abs(dx) if side == "right" else 0, dy)
                if note.arrowprops is not None:
                    start_arrow_at_anchor(note)


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, _position: int | None = None) -> str:
    """A log axis's tick as 10⁻⁵ or 3×10⁻⁵ in plain text: the same label without mathtext, whose parsing
    and glyph layout were a third of a lab redraw's cost. Between the decades 10⁻² and 1 a minor tick
    reads 0.06, not 6×10⁻²: half as wide, so a few decades' labelled minor ticks fit the fixed margins."""
    if not value > 0 or not math.isfinite(value):
        return ""
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = value / 10.0**exponent
    power = "10" + (str(exponent).translate(SUPERSCRIPTS) if exponent != 1 else "")
    if exponent == 0:
        power = "1"
    if abs(mantissa - 1) < 1e-6:
        return power
    return f"{mantissa:.2g}×{power}" if exponent not in (-2, -1, 0) else f"{value:.2g}"


class PlainLogFormatter(LogFormatter):
    """matplotlib's choice of which minor log ticks to label (few decades: 2×10¹, 5×10¹), in plain text."""

    def __call__(self, value: float, position: int | None = None) -> str:
        return power_of_ten(value) if super().__call__(value, position) else ""


MINOR_TICK_DECADES = 3  # a log axis spanning more decades than this marks the decades alone


def plain_log_ticks(figure: Figure) -> None:
    """Label log axes in plain text, and keep minor ticks only where they help read a value.

    Across many decades the eight ticks between each pair are clutter, and matplotlib draws each tick
    as five artists: on the plots that had dozens, they were half the cost of a redraw.
    """
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() != "log":
                continue
            if isinstance(axis.get_major_formatter(), LogFormatterSciNotation):  # not ticks a plot placed
                axis.set_major_formatter(FuncFormatter(power_of_ten))
            if not isinstance(axis.get_minor_locator(), LogLocator):
                continue
            low, high = sorted(axis.get_view_interval())
            if low > 0 and math.log10(high / low) > MINOR_TICK_DECADES:
                axis.set_minor_locator(NullLocator())
            else:
                axis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))


def series(name: str, x, y) -> list[tuple[str, float, float]]:
    return [
        (name, float(a), float(b)) for a, b in zip(np.asarray(x).ravel(), np.asarray(y).ravel(), strict=True)
    ]


def floor(values: np.ndarray) -> np.ndarray:
    """Exact zeros moved to FLOOR so a log axis can show them; every other value is kept as it is."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values) | (values > 0), values, FLOOR)  # NaN (not run) stays a gap


# Axis labels are matplotlib mathtext, so their subscripts and norms are drawn as math.
STATE_GRADIENT_RATIO = r"$\|\partial L/\partial a_{T-k}\|$ / $\|\partial L/\partial a_T\|$"


def bounded(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: zeros at the floor, runaway values capped at the ceiling."""
    return np.minimum(floor(values), CEILING)


RELATIVE_ANCHOR = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}


def arrow_note(
    ax: Axes,
    text: str,
    point: tuple[float, float] | np.ndarray,
    offset: tuple[float, float],
    color: str,
    **text_style,
) -> None:
    """A note ``offset`` points from ``point``, with an arrow to it from the note's anchor.

    The note hangs below its anchor when the arrow points up and stands on it when it points down,
    so the arrow never crosses it and needs no clipping to the note's box: matplotlib finds that edge
    by bisecting the curve with point-in-box tests, a tenth of a clipping plot's drawing time.
    """
    note = ax.annotate(
        text,
        point,
        xytext=offset,
        textcoords="offset points",
        verticalalignment="top" if offset[1] < 0 else "bottom",
        color=color,
        arrowprops={"arrowstyle": "->", "color": color, "patchA": None, "shrinkA": 3},
        **text_style,
    )
    start_arrow_at_anchor(note)


def start_arrow_at_anchor(note: Annotation) -> None:
    """Start the note's arrow at the corner or edge its text is aligned on (again after realigning)."""
    # Annotation reads arrowprops' "relpos" once, when it is made; realigning must move it too.
    note._arrow_relpos = (
        RELATIVE_ANCHOR[note.get_horizontalalignment()],
        RELATIVE_ANCHOR[note.get_verticalalignment()],
    )


def below_scale_note(
    ax: Axes, k: np.ndarray, values: np.ndarray, bottom: float, label: str, color: str
) -> None:
    """Say where a curve falls below the plotted range, and how low it goes."""
    below = np.flatnonzero(values < bottom)
    if len(below):
        arrow_note(
            ax,
            f"{label}: below {sci(bottom)} from k = {int(k[below[0]])},\nreaching {sci(float(np.min(values)))}",
            (k[below[0]], bottom),
            (10, 18),
            color,
            fontsize="small",
        )


def plot_gradient_check(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    rows = []
    for i, (model, names, errors) in enumerate(zip(r.models, r.names, r.errors, strict=True)):
        x = np.full(len(errors), i) + np.linspace(-0.25, 0.25, len(errors))
        ax.scatter(x, floor(errors), s=18, color=PALETTE[i], label=f"{model} ({len(errors)} arrays)")
        rows += [(f"{model}: {name}", float(i), float(e)) for name, e in zip(names, errors, strict=True)]
    ax.axhline(1e-7, color=VERMILLION, linestyle="--", linewidth=1.5)
    ax.annotate(
        "tolerance 1e-7",
        (len(r.models) - 0.6, 1e-7),
        xytext=(0, 5),
        textcoords="offset points",
        color=VERMILLION,
        ha="right",
    )
    ax.set_yscale("log")
    ax.set_xticks(range(len(r.models)), r.models)
    ax.set_ylabel("relative error (BPTT vs finite differences)")
    ax.set_xlabel("model (each dot: one parameter or one state gradient)")
    ax.set_ylim(1e-13, 1e-5)
    ax.legend(loc="upper left")
    checked = sum(len(e) for e in r.errors)
    title = f"BPTT agrees with finite differences: worst relative error {sci(r.worst)}"
    caption = (
        rf"{checked} gradient arrays over four models (every weight, bias and $\partial L/\partial a_t$, and "
        rf"$\partial L/\partial h_t$, $\partial L/\partial c_t$ for the LSTM) were compared with central finite differences; the worst relative error is "
        f"{sci(r.worst)}, below the 1e-7 tolerance."
    )
    alt = f"Scatter plot of relative gradient errors for tanh, linear, residual and LSTM models; all lie below 1e-7, the worst at {sci(r.worst)}."
    return Plot(figure, title, caption, alt, "model index", "relative error", rows)


def plot_unrolling(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.bar(r.steps, r.copy_norms, color=BLUE, label=r"gradient of that step's copy of $W_{aa}$")
    ax.set_xlabel("time step t (one copy of the network per step)")
    ax.set_ylabel(r"$\|\partial L/\partial W_{aa}\|$ of copy $t$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps are whole numbers
    # Headroom: the legend and the note sit above the bars (the phone's note wraps to three lines).
    ax.set_ylim(0, float(np.max(r.copy_norms)) * (2.0 if layout.stacked else 1.45))
    ax.legend(loc="upper left")
    ax.annotate(
        f"tied gradient − sum of all {len(r.steps)} copies:\nmax difference {sci(r.tied_minus_sum)}",
        xy=(0.98, 0.95),
        xycoords="axes fraction",
        ha="right",
        va="top",
        bbox={"boxstyle": "round", "fc": "white", "ec": BLUE},
    )
    title = f"Unrolled over {len(r.steps)} steps, the shared gradient is the sum of the copies'"
    top = int(r.steps[np.argmax(r.copy_norms)])
    caption = (
        f"Each bar is the gradient that one time step's copy of the recurrent weights receives. Their sum "
        f"equals the gradient of the shared, tied weights to {sci(r.tied_minus_sum)}; the largest "
        f"contribution comes from step {top}. Step 1's copy gets none: it multiplies the zero initial state."
    )
    alt = f"Bar chart of per-step gradient contributions over {len(r.steps)} steps; their sum matches the tied gradient to {sci(r.tied_minus_sum)}."
    return Plot(
        figure,
        title,
        caption,
        alt,
        "time step",
        "gradient norm",
        series("copy gradient norm", r.steps, r.copy_norms),
    )


def plot_rho_power_law(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    rows = []
    for i, (rho, ratio) in enumerate(zip(r.rhos, r.ratios, strict=True)):
        chosen = np.isclose(rho, r.rho)
        ax.plot(
            r.k,
            ratio,
            color=PALETTE[i],
            linewidth=3 if chosen else 1.8,
            label=rf"$\rho$ = {rho:g}" + (" (chosen)" if chosen else ""),
        )
        rows += series(f"rho={rho:g}", r.k, ratio)
    chosen = r.ratios[list(r.rhos).index(r.rho)]
    ax.plot(
        r.k,
        r.rho ** r.k.astype(float),
        color=BLACK,
        linestyle=":",
        linewidth=1.5,
        label=rf"${r.rho:g}^k$ (prediction)",
    )
    ax.axhline(1.0, color="grey", linewidth=1)
    ax.annotate(
        r"$\rho$ = 1: neither vanishes nor explodes",
        (r.k[-1], 1.0),
        xytext=(0, 6),
        textcoords="offset points",
        ha="right",
        color="dimgrey",
    )
    ax.set_yscale("log")
    ax.set_xlabel("k, steps back in time from the loss")
    ax.set_ylabel(STATE_GRADIENT_RATIO)
    ax.legend(loc="best")
    T = int(r.k[-1])
    verb = "shrinks" if r.rho < 1 else ("grows" if r.rho > 1 else "stays")
    title = rf"At $\rho = {r.rho:g}$ the gradient {verb} to {sci(chosen[-1])} of its size after {T} steps"
    caption = (
        rf"With zero input and $W_{{aa}} = \rho Q$ ($Q$ orthogonal), each step back multiplies the gradient "
        rf"by exactly $\rho$: after {T} steps it is {sci(chosen[-1])} of its size at $\rho = {r.rho:g}$, "
        rf"matching $\rho^{{{T}}}$ = {sci(r.rho**T)}. Below $\rho = 1$ it vanishes; above, it explodes."
    )
    alt = f"Log-scale lines of gradient ratio against steps back for ρ in {', '.join(f'{x:g}' for x in r.rhos)}; at ρ = {r.rho:g} the ratio after {T} steps is {sci(chosen[-1])}."
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_pascanu_bound(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.plot(r.k, floor(r.ratio), color=BLUE, label="measured, tanh RNN")
    ax.plot(r.k, r.bound, color=VERMILLION, linestyle="--", label=rf"bound $s^k$, $s$ = {r.s:g}")
    ax.set_yscale("log")
    ax.set_xlabel("k, steps back in time from the loss")
    ax.set_ylabel(STATE_GRADIENT_RATIO)
    ax.legend(loc="best")
    slack = float(np.min(r.bound[1:] / np.maximum(r.ratio[1:], FLOOR)))
    T = int(r.k[-1])
    title = rf"The tanh RNN's gradient stays under $s^k$ ($s = {r.s:g}$) at every step back"
    caption = (
        rf"The recurrent matrix has largest singular value $s = {r.s:g}$ and $\tanh' \le 1$, so no step can "
        rf"grow the gradient by more than $s$. Measured over {T} steps, the ratio is at most the bound everywhere "
        f"(closest approach: the bound is {slack:.2g}× the measurement); after {T} steps it is {sci(r.ratio[-1])}."
    )
    alt = f"Log-scale plot: measured gradient ratio below the dashed bound, s to the power k for s = {r.s:g}, at every step."
    return Plot(
        figure,
        title,
        caption,
        alt,
        "steps back k",
        "gradient ratio",
        series("measured", r.k, r.ratio) + series("bound s^k", r.k, r.bound),
    )


def plot_input_weights(r, layout: Layout) -> Plot:
    figure, (left, right) = new_figure(layout, 2)
    left.plot(
        r.distance,
        r.w_ax_scale,
        "o",
        color=BLUE,
        markersize=4,
        label=r"$\|\partial L/\partial W_{ax}\|$ (normalised)",
    )
    left.plot(
        r.distance,
        r.rho ** r.distance.astype(float),
        color=BLACK,
        linestyle=":",
        label=rf"$\rho^k$, $\rho$ = {r.rho:g}",
    )
    left.set_yscale("log")
    left.set_xlabel("k, steps between the input and the loss")
    left.set_ylabel(r"$W_{ax}$ gradient / $\|\partial L/\partial a_T\|\,\|x\|$")
    left.legend(loc="best")
    names = list(r.cut_change)
    values = [r.cut_change[n] for n in names]
    colours = [GREEN if v == 0 else VERMILLION for v in values]
    right.bar(names, values, color=colours)
    for i, v in enumerate(values):
        right.annotate(
            "0" if v == 0 else f"{v:.0%}",
            (i, v),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize="small",
        )
    right.set_ylabel("change when the product over time is cut")
    right.set_xlabel("parameter")
    right.set_ylim(0, max(values) * 1.25 + 1e-9)
    title = "$W_{ax}$ inherits the product over time; only $W_y$ and $b_y$ escape it"
    changes = ", ".join(f"{r.cut_change[n]:.0%}" for n in ("W_aa", "W_ax", "b_a"))
    caption = (
        rf"First panel: an input $k$ steps before the loss gives $W_{{ax}}$ a gradient scaled by exactly $\rho^k$ "
        rf"($\rho = {r.rho:g}$), like $W_{{aa}}$'s. Second panel: cutting the backward product (truncating to one "
        rf"step) changes the gradients of $W_{{aa}}$, $W_{{ax}}$ and $b_a$ by {changes}, and leaves $W_y$ and "
        rf"$b_y$ exactly as they were. The gradient that stops is the one with respect to the input $x$ "
        rf"itself, not the input weights."
    )
    alt = "First panel: the input weights' gradient falls on the line ρ to the power k. Second panel: bars show that the gradients of the recurrent weights, input weights and hidden bias change when the product is cut; those of the output weights and output bias do not."
    rows = series("W_ax gradient scale", r.distance, r.w_ax_scale) + [
        (f"cut change {n}", float(i), float(v)) for i, (n, v) in enumerate(r.cut_change.items())
    ]
    return Plot(figure, title, caption, alt, "k or parameter index", "value", rows)


def first_above(values: np.ndarray, top: float) -> int | None:
    """The first step whose value is above ``top`` (inf and nan included), or None."""
    above = np.flatnonzero(~(values <= top))
    return int(above[0]) if len(above) else None


def off_scale_note(ax: Axes, values: np.ndarray, top: float, diverged_at: int | None) -> None:
    """Say where a runaway curve leaves the plot, instead of squashing the rest to fit it."""
    leaves = first_above(values, top)
    if leaves is not None:
        text = f"no clipping: off the scale from step {leaves}"
        if diverged_at is not None:
            text += f",\ndiverged at step {diverged_at}"
        arrow_note(ax, text, (leaves, top), (12, -28), VERMILLION, fontsize="small")


def plot_clipping(r, layout: Layout) -> Plot:
    figure, (left, right) = new_figure(layout, 2)
    steps = np.arange(len(r.clipped.loss))
    u, c = r.unclipped, r.clipped
    bound = r.learning_rate * r.threshold
    loss_top = float(np.nanmax(c.loss)) * 1e3
    # The legends stand right of centre: the clipped curves run along the bottom, the runaways off the top.
    left.plot(steps, bounded(u.loss), color=VERMILLION, label="no clipping")
    left.plot(steps, bounded(c.loss), color=BLUE, label=f"norm clipping, c = {r.threshold:g}")
    left.set_yscale("log")
    left.set_ylim(float(np.nanmin(c.loss)) / 3, loss_top)
    off_scale_note(left, u.loss, loss_top, u.diverged_at)
    left.set_xlabel("SGD step")
    left.set_ylabel("training loss (adding problem)")
    left.legend(loc="center right")
    update_top = bound * 1e4
    right.plot(steps, bounded(u.update_norm), color=VERMILLION, label="no clipping")
    right.plot(steps, bounded(c.update_norm), color=BLUE, label="norm clipping")
    right.axhline(bound, color=BLACK, linestyle="--", linewidth=1.2)
    right.annotate(
        rf"$\eta c$ = {bound:g}",
        (len(steps) - 1, bound),
        xytext=(0, 5),
        textcoords="offset points",
        ha="right",
    )
    right.set_yscale("log")
    right.set_ylim(float(np.nanmin(c.update_norm)) / 3, update_top)
    off_scale_note(right, u.update_norm, update_top, u.diverged_at)
    right.set_xlabel("SGD step")
    right.set_ylabel(r"update norm $\|\Delta\theta\|$")
    right.legend(loc="center right")
    start, end = float(np.mean(c.loss[:30])), float(np.mean(c.loss[-60:]))
    leaves = first_above(u.update_norm, update_top)
    # Both moments the update-norm panel marks: when the run leaves the plotted scale, and when it overflows.
    fate = "spikes"
    if leaves is not None:
        fate = f"leaves the plotted scale at step {leaves}"
    if u.diverged:
        fate += f"{' and' if leaves is not None else ''} diverges at step {u.diverged_at}"
    stopped = f" (its loss passed {sci(DIVERGED_LOSS)}: training stops there)" if u.diverged else ""
    title = (
        rf"Clipping at $c = {r.threshold:g}$ keeps every update $\le \eta c$ = {bound:g}; without it "
        rf"training {fate}"
    )
    caption = (
        rf"Both runs start from the same exploding initialisation ($\rho > 1$). Unclipped SGD {fate}{stopped}, its "
        rf"updates reaching {sci(np.nanmax(u.update_norm))}. With the gradient's norm clipped to {r.threshold:g}, "
        rf"no update exceeds $\eta c$ = {bound:g} and the loss falls from {start:.3g} to {end:.3g}. Clipping bounds "
        f"the step; it does not change the loss surface, and norm clipping keeps the gradient's direction "
        f"(cosine {r.norm_clip_cosine:.3f}; value clipping: {r.value_clip_cosine:.3f})."
    )
    alt = f"Two panels of loss and update norm per SGD step: without clipping the run {fate}; with clipping updates stay at or below {bound:g} and the loss falls from {start:.3g} to {end:.3g}."
    rows = series("loss, no clipping", steps, u.loss) + series("loss, clipped", steps, c.loss)
    rows += series("update norm, no clipping", steps, u.update_norm) + series(
        "update norm, clipped", steps, c.update_norm
    )
    return Plot(figure, title, caption, alt, "SGD step", "loss or update norm", rows)


def plot_clipping_direction(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.plot(r.fractions, r.norm_cosine, color=BLUE, label="norm clipping: the whole gradient scaled to c")
    ax.plot(r.fractions, r.value_cosine, color=VERMILLION, label="each entry clipped into [−c, c]")
    lowest = int(np.argmin(r.value_cosine))
    arrow_note(
        ax,
        f"cosine {r.value_cosine[lowest]:.3f}\n({r.clipped_share[lowest]:.1%} of entries clipped)",
        (r.fractions[lowest], r.value_cosine[lowest]),
        (12, 12),
        VERMILLION,
    )
    ax.set_xscale("log")
    ax.set_ylim(min(0.0, float(np.min(r.value_cosine)) - 0.05), 1.08)
    ax.set_xlabel("threshold c, as a fraction of the largest entry (or of the norm)")
    ax.set_ylabel("cosine with the unclipped gradient")
    ax.legend(loc="lower right")
    title = (
        f"Norm clipping keeps the direction (cosine {np.min(r.norm_cosine):.3f}); clipping each entry turns it "
        f"to {r.value_cosine[lowest]:.3f}"
    )
    caption = (
        rf"One BPTT gradient from an exploding start ($\rho = {r.rho:g}$, norm {sci(r.gradient_norm)}), clipped "
        f"at {len(r.fractions)} thresholds. Scaled down as a whole, it points the same way at every threshold "
        f"(cosine at least {np.min(r.norm_cosine):.6f}). Clipped entry by entry, it turns as more entries hit "
        f"the bound: at {sci(r.fractions[lowest])} of the largest entry, {r.clipped_share[lowest]:.1%} of them "
        f"are clipped and the cosine falls to {r.value_cosine[lowest]:.3f}; the update no longer goes downhill "
        f"the way the gradient does."
    )
    alt = (
        f"Line plot of cosine against clipping threshold: norm clipping stays at 1; entry-wise clipping falls "
        f"to {r.value_cosine[lowest]:.3f} at small thresholds."
    )
    rows = series("norm clipping", r.fractions, r.norm_cosine) + series(
        "entry-wise clipping", r.fractions, r.value_cosine
    )
    return Plot(figure, title, caption, alt, "threshold fraction", "cosine", rows)


def plot_weight_decay(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    steps = np.arange(len(r.clipped.loss))
    rows = []
    for i, (decay, record) in enumerate(zip(r.decays, r.decayed, strict=True)):
        label = rf"$\lambda$ = {decay:g}" + (
            f": diverges at step {record.diverged_at}" if record.diverged else ""
        )
        ax.plot(steps, bounded(record.loss), color=(VERMILLION, ORANGE, PURPLE, BLACK)[i % 4], label=label)
        rows += series(f"loss, weight decay {decay:g}", steps, record.loss)
    ax.plot(
        steps, bounded(r.clipped.loss), color=BLUE, label=f"no decay, norm clipping at c = {r.threshold:g}"
    )
    rows += series("loss, clipped", steps, r.clipped.loss)
    ax.set_yscale("log")
    ax.set_ylim(float(np.nanmin(r.clipped.loss)) / 3, float(np.nanmax(r.clipped.loss)) * 1e3)
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training loss (adding problem)")
    ax.legend(loc="lower left")
    diverged = [d for d, rec in zip(r.decays, r.decayed, strict=True) if rec.diverged]
    final = float(np.mean(r.clipped.loss[-40:]))
    if len(diverged) == len(r.decays):
        title = (
            rf"Weight decay up to $\lambda = {max(r.decays):g}$ does not stop the explosion; clipping does"
        )
    else:
        stopped = ", ".join(f"{d:g}" for d in r.decays if d not in diverged)
        title = rf"Weight decay stopped the explosion only at $\lambda$ = {stopped}"
    caption = (
        rf"From the same exploding start, unclipped SGD diverged with weight decay $\lambda$ = "
        rf"{', '.join(f'{d:g}' for d in diverged) or 'none of those tried'} (curves leave the top of the plot). "
        rf"Decay pulls the weights towards zero by $\eta \lambda \theta$ per step, which is nothing against one "
        rf"exploding gradient. With norm clipping instead, every update stays within $\eta c$ = "
        rf"{r.learning_rate * r.threshold:g} and the loss falls to {final:.3g}."
    )
    alt = f"Loss curves: {len(diverged)} of {len(r.decays)} weight-decay runs diverge; the clipped run falls steadily to {final:.3g}."
    return Plot(figure, title, caption, alt, "SGD step", "loss", rows)


def plot_cliff(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    half_w, half_b = (r.w[1] - r.w[0]) / 2, (r.b[1] - r.b[0]) / 2  # each cell centred on its grid point
    mesh = ax.imshow(
        np.log10(floor(r.loss)),
        cmap="cividis",
        origin="lower",
        extent=(r.w[0] - half_w, r.w[-1] + half_w, r.b[0] - half_b, r.b[-1] + half_b),
        aspect="auto",
        interpolation="nearest",
    )
    bar = figure.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label("log₁₀ loss")
    ax.plot(
        r.wall_w,
        r.wall_b,
        "x",
        color=VERMILLION,
        markersize=8,
        mew=2.5,
        label=r"the wall ($|\nabla L| > 10^6$)",
    )

    def inside(points: np.ndarray) -> np.ndarray:
        x, y = points[:, 0], points[:, 1]
        return points[(x >= r.w[0]) & (x <= r.w[-1]) & (y >= r.b[0]) & (y <= r.b[-1])]

    ax.plot(
        *inside(r.clipped_path).T, ".-", color=SKY, markersize=3, linewidth=1.2, label="SGD with clipping"
    )
    first_out = next((i for i, p in enumerate(r.unclipped_path) if not len(inside(p[None]))), None)
    shown = r.unclipped_path[: first_out if first_out is not None else len(r.unclipped_path)]
    ax.plot(*shown.T, ".-", color=ORANGE, markersize=3, linewidth=1.2, label="SGD without clipping")
    if first_out is not None:
        land = r.unclipped_path[first_out]
        arrow_note(ax, f"thrown to (w, b) = ({land[0]:.0f}, {land[1]:.0f})", shown[-1], (20, 25), "white")
    ax.set_xlim(r.w[0], r.w[-1])
    ax.set_ylim(r.b[0], r.b[-1])
    ax.set_xlabel("w (recurrent weight)")
    ax.set_ylabel("b (bias)")
    ax.legend(loc="lower left")
    worst = float(np.max(r.wall_gradient))
    title = (
        rf"A wall with $|\nabla L|$ up to {sci(worst)}: unclipped SGD is thrown {r.unclipped_largest_step:.0f} "
        rf"units, clipped steps stay $\le$ {r.clipped_largest_step:.2g}"
    )
    caption = (
        rf"Loss of $x_t = w\,\sigma(x_{{t-1}}) + b$ after 50 steps, $(\sigma(x_{{50}}) - 0.7)^2$, over a grid of "
        rf"$(w, b)$. Along the "
        f"marked wall the gradient reaches {sci(worst)}. From the same start, one unclipped SGD step near the "
        f"wall moves the parameters {r.unclipped_largest_step:.3g} units and training ends at loss "
        rf"{r.unclipped_loss[-1]:.3g}; with clipping every step is at most $\eta c$ = {r.learning_rate * r.threshold:g} "
        f"and the loss ends at {r.clipped_loss[-1]:.2g}. Clipping does not remove the wall; it keeps one step "
        f"from being thrown by it."
    )
    alt = f"Heat map of the loss over w and b with a sharp wall; the clipped SGD path crosses smoothly while the unclipped path jumps {r.unclipped_largest_step:.0f} units away."
    rows = series("unclipped w", np.arange(len(r.unclipped_path)), r.unclipped_path[:, 0])
    rows += series("unclipped b", np.arange(len(r.unclipped_path)), r.unclipped_path[:, 1])
    rows += series("clipped w", np.arange(len(r.clipped_path)), r.clipped_path[:, 0])
    rows += series("clipped b", np.arange(len(r.clipped_path)), r.clipped_path[:, 1])
    rows += series("wall b at w", r.wall_w, r.wall_b)
    return Plot(figure, title, caption, alt, "step or w", "w or b", rows)


def plot_sensitivity(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.plot(r.rhos, floor(r.relative_change), "o-", color=BLUE, label="relative change of the gradient")
    ax.axhline(r.delta, color=BLACK, linestyle=":", linewidth=1.2)
    ax.annotate(
        rf"size of the nudge to $a_0$: {r.delta:g}",
        (r.rhos[0], r.delta),
        xytext=(0, 5),
        textcoords="offset points",
    )
    ax.axvline(1.0, color="grey", linewidth=1)
    ax.annotate(r"$\rho$ = 1", (1.0, 1e-14), xytext=(4, 0), textcoords="offset points", color="dimgrey")
    ax.set_yscale("log")
    ax.set_ylim(FLOOR / 3, 1e3)
    ax.set_xlabel("ρ, spectral radius of the recurrent matrix")
    ax.set_ylabel(r"$\|g(a_0 + \delta) - g(a_0)\|$ / $\|g(a_0)\|$")
    ax.legend(loc="upper left")
    change = dict(zip(r.rhos.tolist(), r.relative_change, strict=True))
    title = (
        rf"Nudging the start by 1e-9 changes the gradient by {sci(change[max(change)])} at "
        rf"$\rho = {max(change):g}$, by {sci(change[min(change)])} at $\rho = {min(change):g}$"
    )
    caption = (
        rf"Each point moves the initial state by 1e-9 and measures how much the whole gradient changes. In the "
        rf"contractive regime ($\rho \le 1$) the change is {sci(max(change[p] for p in change if p <= 1))} at most (plotted at the floor "
        f"when exactly zero); in the exploding regime it reaches {sci(max(change.values()))}: the gradient "
        f"no longer says which way is downhill, so updates jump about."
    )
    alt = f"Log-scale plot of gradient sensitivity against ρ: negligible up to ρ = 1, of order 1 by ρ = {max(change):g}."
    return Plot(
        figure,
        title,
        caption,
        alt,
        "rho",
        "relative change",
        series("relative change", r.rhos, r.relative_change),
    )


def plot_residual(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.fill_between(
        r.k, r.low, r.high, color=SKY, alpha=0.25, label=rf"band $[(1-s)^k, (1+s)^k]$, $s$ = {r.s:g}"
    )
    ax.plot(r.k, r.residual, color=BLUE, label="residual RNN")
    ax.plot(r.k, floor(r.plain), color=VERMILLION, label="plain tanh RNN, same weights")
    ax.axhline(1e-6, color=BLACK, linestyle=":", linewidth=1.2)
    ax.annotate("1e-6", (r.k[-1], 1e-6), xytext=(0, 4), textcoords="offset points", ha="right")
    ax.set_yscale("log")
    bottom = max(float(np.min(floor(r.plain))) / 10, 1e-20)
    ax.set_ylim(bottom, float(np.max(r.high)) * 10)
    below_scale_note(ax, r.k, r.plain, bottom, "plain tanh", VERMILLION)
    ax.set_xlabel("k, steps back in time from the loss")
    ax.set_ylabel(STATE_GRADIENT_RATIO)
    ax.legend(loc="lower left")
    T = int(r.k[-1])
    title = f"Residual paths stop the vanishing: {sci(r.residual[-1])} after {T} steps against {sci(r.plain[-1])} without"
    caption = (
        rf"The residual step $a_t = a_{{t-1}} + \tanh(\ldots)$ has Jacobian $I + \mathrm{{diag}}(\tanh')\,W$, "
        rf"whose effect lies between $1 - s$ and $1 + s$. The residual gradient stays in that band (it ranges from {sci(r.residual.min())} to "
        f"{sci(r.residual.max())}), while the plain tanh RNN's falls to {sci(r.plain[-1])}. The residual path "
        f"does not hold the gradient at 1: it can grow."
    )
    alt = f"Log-scale plot: the residual RNN's gradient ratio stays within a shaded band and ends at {sci(r.residual[-1])}; the plain RNN's falls below 1e-6 to {sci(r.plain[-1])}."
    rows = series("residual", r.k, r.residual) + series("plain tanh", r.k, r.plain)
    rows += series("band low", r.k, r.low) + series("band high", r.k, r.high)
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_lstm(r, layout: Layout) -> Plot:
    figure, (left, right) = new_figure(layout, 2)
    rows = []
    for i, (b_f, ratio, predicted) in enumerate(
        zip(r.forget_biases, r.cell_ratios, r.predicted, strict=True)
    ):
        left.plot(
            r.k,
            floor(ratio),
            color=PALETTE[i],
            label=rf"$b_f$ = {b_f:g}, $\sigma(b_f)$ = {1 / (1 + np.exp(-b_f)):.3f}",
        )
        left.plot(r.k, floor(predicted), color=BLACK, linestyle=":", linewidth=1)
        rows += series(f"cell ratio b_f={b_f:g}", r.k, ratio)
    left.set_yscale("log")
    left.set_xlabel("k, steps back")
    left.set_ylabel(r"$\|\partial L/\partial c_{T-k}\|$ / $\|\partial L/\partial c_T\|$")
    left.set_title(r"cell path, forget gate fixed (dotted: $\sigma(b_f)^k$)")
    left.legend(loc="lower left")
    right.plot(
        r.k,
        floor(r.hidden_ratio_large_weights),
        color=VERMILLION,
        label=rf"large $W_h$ ($s$ = {r.recurrent_scale:g})",
    )
    right.plot(r.k, floor(r.cell_ratio_small_bias), color=PURPLE, label=r"$b_f$ = 0, ordinary $W_h$ (cell)")
    right.axhline(1.0, color="grey", linewidth=1)
    right.set_yscale("log")
    right.set_xlabel("k, steps back")
    right.set_ylabel("gradient ratio")
    right.set_title("full LSTM")
    right.legend(loc="best")
    rows += series("hidden ratio, large weights", r.k, r.hidden_ratio_large_weights)
    rows += series("cell ratio, b_f = 0", r.k, r.cell_ratio_small_bias)
    T = int(r.k[-1])
    title = "LSTMs resist vanishing only while their forget gates stay near 1"
    open_gate = r.cell_ratios[-1][-1]
    caption = (
        rf"First panel: with nothing else reaching the cell, its gradient over $k$ steps is exactly $\sigma(b_f)^k$; "
        rf"after {T} steps that is {sci(open_gate)} for $b_f = {r.forget_biases[-1]:g}$ but "
        rf"{sci(r.cell_ratios[0][-1])} for $b_f = {r.forget_biases[0]:g}$. Second panel: a full LSTM with forget bias 0 loses its cell gradient "
        f"({sci(r.cell_ratio_small_bias[-1])} after {T} steps), and with large recurrent weights its hidden-state "
        f"gradient explodes (up to {sci(np.max(r.hidden_ratio_large_weights))})."
    )
    alt = f"First panel: cell-gradient ratios follow σ of the forget bias, to the power k, for several forget biases. Second panel: with large recurrent weights the LSTM gradient grows to {sci(np.max(r.hidden_ratio_large_weights))}; with forget bias 0 it vanishes."
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_truncated(r, layout: Layout) -> Plot:
    figure, (ax,) = new_figure(layout)
    ax.plot(r.k, floor(r.window_error), "o-", color=BLUE, markersize=3, label="k-step window")
    ax.plot(r.k, floor(r.chunk_error), "s-", color=ORANGE, markersize=3, label="chunks of k steps")
    reference = r.window_error[0] * r.rho ** (r.k - 1.0)
    ax.plot(r.k, reference, color=BLACK, linestyle=":", label=rf"$\rho^k$, $\rho$ = {r.rho:g}")
    ax.annotate(
        "$k = T$: exact (error 0)", (r.k[-1], FLOOR), xytext=(-5, 12), textcoords="offset points", ha="right"
    )
    ax.set_yscale("log")
    ax.set_xlabel("k, steps kept by truncated BPTT")
    ax.set_ylabel(r"$\|g_k - g\| \,/\, \|g\|$")
    ax.legend(loc="upper right")
    title = (
        rf"Truncation error shrinks by {r.fitted_factor:.3f} per step of window ($\rho = {r.rho:g}$); "
        rf"$k = T$ is exact"
    )
    caption = (
        rf"Truncated BPTT misses the gradient from beyond its window. For a linear RNN with $W_{{aa}} = \rho Q$ "
        rf"the error falls by a fitted factor {r.fitted_factor:.3f} per extra step, close to $\rho = {r.rho:g}$; "
        rf"a window of $k = T = {int(r.k[-1])}$ steps gives exactly full BPTT. Each step of window costs one more step of "
        f"backward work."
    )
    alt = "Log-scale plot of truncation error against window length k, falling along ρ to the power k, to zero when k equals the sequence length."
    rows = series("window error", r.k, r.window_error) + series("chunk error", r.k, r.chunk_error)
    return Plot(figure, title, caption, alt, "window k", "relative error", rows)


def plot_cost(r, layout: Layout) -> Plot:
    figure, (left, right) = new_figure(layout, 2)
    left.loglog(
        r.lengths,
        r.seconds_by_length * 1e3,
        "o-",
        color=BLUE,
        label=f"time (slope {r.time_slope_in_length:.2f})",
    )
    ref = r.seconds_by_length[0] * 1e3 * r.lengths / r.lengths[0]
    left.loglog(r.lengths, ref, color=BLACK, linestyle=":", label="slope 1")
    mem = left.twinx()
    mem.loglog(
        r.lengths,
        r.peak_bytes_by_length / 2**20,
        "s--",
        color=ORANGE,
        label=f"peak memory (slope {r.memory_slope_in_length:.2f})",
    )
    mem.set_ylabel("peak memory (MiB)", color=ORANGE)
    mem.grid(False)
    left.set_xlabel(f"sequence length $T$ ($n$ = {r.fixed_n})")
    left.set_ylabel("forward + backward (ms)")
    handles = left.get_legend_handles_labels()[0] + mem.get_legend_handles_labels()[0]
    left.legend(handles=handles, loc="upper left")
    right.loglog(
        r.sizes,
        r.seconds_by_size * 1e3,
        "o-",
        color=GREEN,
        label=f"time (slope {r.time_slope_in_size:.2f}, larger n)",
    )
    ref = r.seconds_by_size[-1] * 1e3 * (r.sizes / r.sizes[-1]) ** 2
    right.loglog(r.sizes, ref, color=BLACK, linestyle=":", label="slope 2")
    right.set_xlabel(f"hidden size $n$ ($T$ = {r.fixed_T})")
    for ax, measured in ((left, r.lengths), (right, r.sizes)):
        ax.set_xticks(measured, labels=[str(value) for value in measured])  # the values measured, as numbers
        ax.xaxis.set_minor_locator(NullLocator())
    if not layout.stacked:
        figure.subplots_adjust(wspace=0.5)  # room for the memory axis between the panels
    right.set_ylabel("forward + backward (ms)")
    right.legend(loc="upper left")
    count_ratio = r.multiply_adds_by_size[-1] / r.multiply_adds_by_size[-2]
    time_ratio = r.seconds_by_size[-1] / r.seconds_by_size[-2]
    title = (
        rf"BPTT's time is linear in $T$ (slope {r.time_slope_in_length:.2f}); its work grows as $n^2$, measured "
        rf"time as $n^{{{r.time_slope_in_size:.2f}}}$ here"
    )
    caption = (
        rf"A forward and backward pass costs exactly $3 T B (n^2 + n n_x + n n_y)$ multiply-adds "
        rf"({r.multiply_adds_by_size[-1]:,} at $n = {r.sizes[-1]}$, $T = {r.fixed_T}$, $B = 16$). Measured on this "
        rf"machine, time grows with slope {r.time_slope_in_length:.2f} in $T$: linear. From $n = {r.sizes[-2]}$ to "
        rf"{r.sizes[-1]} the "
        f"work grows {count_ratio:.1f}× and the time {time_ratio:.1f}× (fitted slope {r.time_slope_in_size:.2f}"
        + (
            "): at these sizes the matrix library runs faster on larger matrices, so time grows more slowly "
            "than the count. "
            if r.time_slope_in_size < 1.8
            else "), as the count predicts. "
        )
        + f"Peak memory grows with slope {r.memory_slope_in_length:.2f} in $T$, because BPTT stores every step's "
        f"activations."
    )
    alt = f"Log-log plots: time against T with slope {r.time_slope_in_length:.2f}, memory against T with slope {r.memory_slope_in_length:.2f}, time against n with slope {r.time_slope_in_size:.2f}."
    rows = series("ms by T", r.lengths, r.seconds_by_length * 1e3) + series(
        "MiB by T", r.lengths, r.peak_bytes_by_length / 2**20
    )
    rows += series("ms by n", r.sizes, r.seconds_by_size * 1e3)
    return Plot(figure, title, caption, alt, "T or n", "ms or MiB", rows)


PLOTTERS: dict[str, Callable[..., Plot]] = {
    "gradient-check": plot_gradient_check,
    "unrolling": plot_unrolling,
    "rho-power-law": plot_rho_power_law,
    "pascanu-bound": plot_pascanu_bound,
    "input-weights": plot_input_weights,
    "clipping": plot_clipping,
    "clipping-direction": plot_clipping_direction,
    "weight-decay": plot_weight_decay,
    "cliff": plot_cliff,
    "sensitivity": plot_sensitivity,
    "residual-paths": plot_residual,
    "lstm-forget-gate": plot_lstm,
    "truncated-bptt": plot_truncated,
    "bptt-cost": plot_cost,
}


def make_plots(
    name: str, params: dict[str, float | int], layouts: tuple[Layout, ...] = LAYOUTS
) -> dict[str, Plot]:
    """Run the experiment once, with validated parameters, and draw it in each layout."""
    result = get_experiment(name).run(params)
    plots = {}
    for layout in layouts:
        with matplotlib.rc_context(STYLE | layout.fonts):
            plot = PLOTTERS[name](result, layout)
            plain_log_ticks(plot.figure)
            if layout.stacked:
                fit_narrow(plot.figure)
            visible_ticks_only(plot.figure)
            plots[layout.name] = plot
    return plots


def make_plot(name: str, params: dict[str, float | int]) -> Plot:
    """The page's (wide) plot alone, for checking what a plot shows and says."""
    result = get_experiment(name).run(params)
    with matplotlib.rc_context(STYLE | WIDE.fonts):
        plot = PLOTTERS[name](result, WIDE)
        plain_log_ticks(plot.figure)
        visible_ticks_only(plot.figure)
        return plot


def png_bytes(figure: Figure) -> bytes:
    """The figure as a PNG at PNG_SCALE times its CSS size, for exports that embed a raster image.

    The drawing is taken as raw pixels and saved without its alpha channel: a figure's background is
    opaque, so the file is the same picture, smaller and sooner written.
    """
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=100 * PNG_SCALE)
    size = tuple(int(inches * 100 * PNG_SCALE) for inches in figure.get_size_inches())  # as Agg sizes it
    drawn = Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1)
    if drawn.getextrema()[3][0] < 255:
        raise ValueError("a plot's background must be opaque for its PNG to drop the alpha channel")
    png = io.BytesIO()
    drawn.convert("RGB").save(png, format="png")
    return png.getvalue()


def panel_frames(figure: Figure) -> list[dict]:
    """Each panel's place in the drawn figure and its data range: enough to put a point on it later.

    ``box`` is (left, bottom, right, top) as fractions of the figure, read after drawing, so the phone's
    measured layout is the one recorded; a point at data (x, y) lands where matplotlib would draw it.
    """
    return [
        {
            "box": [float(v) for v in ax.get_position().extents],
            "x": [float(v) for v in ax.get_xlim()],
            "y": [float(v) for v in ax.get_ylim()],
            "xscale": ax.get_xscale(),
            "yscale": ax.get_yscale(),
        }
        for ax in figure.axes
    ]


SVG_SIZE = re.compile(rb'<svg ([^>]*?)width="[0-9.]+pt" height="[0-9.]+pt"')


def svg_bytes(figure: Figure) -> bytes:
    """The figure as SVG, sized in CSS pixels as the page lays it out.

    matplotlib sizes an SVG in points (72 an inch); our figures are designed at 100 CSS px an inch,
    so a 720 px figure came out 691 px wide wherever a browser showed the file at its own size. The
    viewBox is unchanged: the picture scales to the new size exactly as it did to the page's.
    """
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    width, height = (round(inches * 100) for inches in figure.get_size_inches())
    return SVG_SIZE.sub(rf'<svg \1width="{width}px" height="{height}px"'.encode(), svg.getvalue(), count=1)


def png_file(layout: Layout) -> str:
    return f"{layout.name}-{PNG_SCALE}x.png"


def svg_file(layout: Layout) -> str:
    return f"{layout.name}.svg"


# What a page shows: each layout as SVG, the one format that is sharp on every screen and (its text
# drawn as outlines) the smallest file. The lab, redrawn as a reader drags a slider, asks for the layout
# the screen shows. Exports embed a raster image, which Anki and Moodle show everywhere: the wide PNG.
LAB_FILES = {layout.name: frozenset({svg_file(layout)}) for layout in LAYOUTS}
PAGE_FILES = frozenset().union(*LAB_FILES.values())
EXPORT_PNG = png_file(WIDE)
EXPORT_FILES = PAGE_FILES | {EXPORT_PNG}


@contextmanager
def garbage_collected_at_the_end() -> Iterator[None]:
    """No cycle collection while drawing, then one of the youngest generation: what the drawing left.

    A figure is thousands of objects in reference cycles. Collected as they went, the live figure's
    objects were promoted to the oldest generation, and the full collections that freed them walked
    the whole process (20-90 ms, a lab redraw's p95). With none during the drawing, every object it
    made is still the youngest, and one collection of that generation frees them in a few ms.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def render(name: str, params: dict[str, float | int], files: frozenset[str] = PAGE_FILES) -> RenderedPlot:
    """The run drawn as the named ``files``, only the layouts they need, with its texts and numbers."""
    with garbage_collected_at_the_end():
        return draw_files(name, params, files)  # its figures are garbage once it returns


def draw_files(name: str, params: dict[str, float | int], files: frozenset[str]) -> RenderedPlot:
    """The texts and numbers come from the wide plot when it is drawn; every layout draws the same run,
    so they hold for all."""
    layouts = tuple(layout for layout in LAYOUTS if files & {png_file(layout), svg_file(layout)})
    plots = make_plots(name, params, layouts)
    images, sizes, frames = {}, {}, {}
    for layout in layouts:
        figure = plots[layout.name].figure
        with matplotlib.rc_context(STYLE | layout.fonts):
            # SVG first: saved after a 2x PNG, a measured (constrained) layout collapses.
            if svg_file(layout) in files:
                images[svg_file(layout)] = svg_bytes(figure)
            if png_file(layout) in files:
                images[png_file(layout)] = png_bytes(figure)
        width, height = figure.get_size_inches() * 100
        sizes[layout.name] = (round(width), round(height))
        frames[layout.name] = panel_frames(figure)
    plot = plots.get(WIDE.name) or plots[layouts[0].name]
    return RenderedPlot(
        images=images,
        sizes=sizes,
        frames=frames,
        title=plot.title,
        caption=plot.caption,
        alt=plot.alt,
        claim=get_experiment(name).claim,
        x_label=plot.x_label,
        y_label=plot.y_label,
        rows=plot.rows,
    )

"""One teaching plot per experiment, drawn with matplotlib.figure.Figure (no pyplot state).

Every plot states its finding in the title, labels its axes with units, uses a logarithmic scale
where growth is exponential, marks the key point, and comes with a caption and alt text written from
the result's own numbers. The numbers behind it are returned as a long table (series, x, y) for download.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .experiments import get_experiment

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
WIDTH_IN, HEIGHT_IN = 7.2, 4.3  # 720 px at 100 dpi; PNGs are saved at 2x
FLOOR = 1e-17  # where a log axis shows an exact zero
CEILING = 1e60  # where a log axis stops following a divergence (it is annotated instead)
STYLE = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 9.5,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "svg.hashsalt": "studysite",  # deterministic SVG ids, so identical plots are identical bytes
}


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
    png: bytes
    svg: bytes
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


def new_figure(columns: int = 1) -> tuple[Figure, list[Axes]]:
    import matplotlib

    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, columns, squeeze=False)[0]
    # A fixed layout is four times cheaper than tight_layout and stays stable from plot to plot. The
    # title is the page's figure caption, in HTML, so it is drawn once and stays legible on a phone.
    figure.subplots_adjust(left=0.11 if columns == 1 else 0.1, right=0.97, bottom=0.14, top=0.93, wspace=0.32)
    return figure, list(axes)


def series(name: str, x, y) -> list[tuple[str, float, float]]:
    return [
        (name, float(a), float(b)) for a, b in zip(np.asarray(x).ravel(), np.asarray(y).ravel(), strict=True)
    ]


def floor(values: np.ndarray) -> np.ndarray:
    """Exact zeros moved to FLOOR so a log axis can show them; every other value is kept as it is."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values) | (values > 0), values, FLOOR)  # NaN (not run) stays a gap


# Axis labels are matplotlib mathtext, so their subscripts and norms are drawn as math.
STATE_GRADIENT_RATIO = r"$\|\partial L/\partial a_{T-k}\| \,/\, \|\partial L/\partial a_T\|$"


def bounded(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: zeros at the floor, runaway values capped at the ceiling."""
    return np.minimum(floor(values), CEILING)


def below_scale_note(
    ax: Axes, k: np.ndarray, values: np.ndarray, bottom: float, label: str, color: str
) -> None:
    """Say where a curve falls below the plotted range, and how low it goes."""
    below = np.flatnonzero(values < bottom)
    if len(below):
        ax.annotate(
            f"{label}: below {sci(bottom)} from k = {int(k[below[0]])},\nreaching {sci(float(np.min(values)))}",
            (k[below[0]], bottom),
            xytext=(10, 18),
            textcoords="offset points",
            color=color,
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": color},
        )


def plot_gradient_check(r) -> Plot:
    figure, (ax,) = new_figure()
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
        f"{checked} gradient arrays over four models (every weight, bias and dL/da_t, and dL/dh_t, dL/dc_t "
        f"for the LSTM) were compared with central finite differences; the worst relative error is "
        f"{sci(r.worst)}, below the 1e-7 tolerance."
    )
    alt = f"Scatter plot of relative gradient errors for tanh, linear, residual and LSTM models; all lie below 1e-7, the worst at {sci(r.worst)}."
    return Plot(figure, title, caption, alt, "model index", "relative error", rows)


def plot_unrolling(r) -> Plot:
    figure, (ax,) = new_figure()
    ax.bar(r.steps, r.copy_norms, color=BLUE, label="gradient of that step's copy of W_aa")
    ax.set_xlabel("time step t (one copy of the network per step)")
    ax.set_ylabel(r"$\|\partial L/\partial W_{aa}\|$ of copy $t$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps are whole numbers
    ax.set_ylim(0, float(np.max(r.copy_norms)) * 1.45)  # headroom: the legend and the note sit above the bars
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


def plot_rho_power_law(r) -> Plot:
    figure, (ax,) = new_figure()
    rows = []
    for i, (rho, ratio) in enumerate(zip(r.rhos, r.ratios, strict=True)):
        chosen = np.isclose(rho, r.rho)
        ax.plot(
            r.k,
            ratio,
            color=PALETTE[i],
            linewidth=3 if chosen else 1.8,
            label=f"ρ = {rho:g}" + (" (chosen)" if chosen else ""),
        )
        rows += series(f"rho={rho:g}", r.k, ratio)
    chosen = r.ratios[list(r.rhos).index(r.rho)]
    ax.plot(
        r.k,
        r.rho ** r.k.astype(float),
        color=BLACK,
        linestyle=":",
        linewidth=1.5,
        label=f"{r.rho:g}^k (prediction)",
    )
    ax.axhline(1.0, color="grey", linewidth=1)
    ax.annotate(
        "ρ = 1: neither vanishes nor explodes",
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
    title = f"At ρ = {r.rho:g} the gradient {verb} to {sci(chosen[-1])} of its size after {T} steps"
    caption = (
        f"With zero input and W_aa = ρQ (Q orthogonal), each step back multiplies the gradient by exactly ρ: "
        f"after {T} steps it is {sci(chosen[-1])} of its size at ρ = {r.rho:g}, matching ρ^{T} = "
        f"{sci(r.rho**T)}. Below ρ = 1 it vanishes; above, it explodes."
    )
    alt = f"Log-scale lines of gradient ratio against steps back for ρ in {', '.join(f'{x:g}' for x in r.rhos)}; at ρ = {r.rho:g} the ratio after {T} steps is {sci(chosen[-1])}."
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_pascanu_bound(r) -> Plot:
    figure, (ax,) = new_figure()
    ax.plot(r.k, floor(r.ratio), color=BLUE, label="measured, tanh RNN")
    ax.plot(r.k, r.bound, color=VERMILLION, linestyle="--", label=f"bound s^k, s = {r.s:g}")
    ax.set_yscale("log")
    ax.set_xlabel("k, steps back in time from the loss")
    ax.set_ylabel(STATE_GRADIENT_RATIO)
    ax.legend(loc="best")
    slack = float(np.min(r.bound[1:] / np.maximum(r.ratio[1:], FLOOR)))
    T = int(r.k[-1])
    title = f"The tanh RNN's gradient stays under s^k (s = {r.s:g}) at every step back"
    caption = (
        f"The recurrent matrix has largest singular value s = {r.s:g} and tanh′ ≤ 1, so no step can grow "
        f"the gradient by more than s. Measured over {T} steps, the ratio is at most the bound everywhere "
        f"(closest approach: the bound is {slack:.2g}× the measurement); after {T} steps it is {sci(r.ratio[-1])}."
    )
    alt = f"Log-scale plot: measured gradient ratio below the dashed bound s^k for s = {r.s:g} at every step."
    return Plot(
        figure,
        title,
        caption,
        alt,
        "steps back k",
        "gradient ratio",
        series("measured", r.k, r.ratio) + series("bound s^k", r.k, r.bound),
    )


def plot_input_weights(r) -> Plot:
    figure, (left, right) = new_figure(2)
    left.plot(r.distance, r.w_ax_scale, "o", color=BLUE, markersize=4, label="‖∂L/∂W_ax‖ (normalised)")
    left.plot(
        r.distance, r.rho ** r.distance.astype(float), color=BLACK, linestyle=":", label=f"ρ^k, ρ = {r.rho:g}"
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
            fontsize=9,
        )
    right.set_ylabel("change when the product over time is cut")
    right.set_xlabel("parameter")
    right.set_ylim(0, max(values) * 1.25 + 1e-9)
    title = "W_ax inherits the product over time; only W_y and b_y escape it"
    caption = (
        f"Left: an input k steps before the loss gives W_ax a gradient scaled by exactly ρ^k (ρ = {r.rho:g}), "
        f"like W_aa's. Right: cutting the backward product (truncating to one step) changes the gradients "
        f"of W_aa, W_ax and b_a by {', '.join(f'{r.cut_change[n]:.0%}' for n in ('W_aa', 'W_ax', 'b_a'))}, "
        f"and leaves W_y and b_y exactly as they were. The gradient that stops is the one with respect to "
        f"the input x itself, not the input weights."
    )
    alt = "Left: W_ax gradient falls on the line ρ^k. Right: bars show W_aa, W_ax and b_a gradients change when the product is cut; W_y and b_y do not."
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
            text += f",\ninf or nan at step {diverged_at}"
        ax.annotate(
            text,
            (leaves, top),
            xytext=(12, -28),
            textcoords="offset points",
            color=VERMILLION,
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": VERMILLION},
        )


def plot_clipping(r) -> Plot:
    figure, (left, right) = new_figure(2)
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
        f"η·c = {bound:g}", (len(steps) - 1, bound), xytext=(0, 5), textcoords="offset points", ha="right"
    )
    right.set_yscale("log")
    right.set_ylim(float(np.nanmin(c.update_norm)) / 3, update_top)
    off_scale_note(right, u.update_norm, update_top, u.diverged_at)
    right.set_xlabel("SGD step")
    right.set_ylabel(r"update norm $\|\Delta\theta\|$")
    right.legend(loc="center right")
    start, end = float(np.mean(c.loss[:30])), float(np.mean(c.loss[-60:]))
    leaves = first_above(u.update_norm, update_top)
    # Both moments the right panel marks: when the run leaves the plotted scale, and when it overflows.
    fate = "spikes"
    if leaves is not None:
        fate = f"leaves the plotted scale at step {leaves}"
    if u.diverged:
        fate += f"{' and' if leaves is not None else ''} overflows at step {u.diverged_at}"
    title = (
        f"Clipping at c = {r.threshold:g} keeps every update ≤ η·c = {bound:g}; without it training {fate}"
    )
    caption = (
        f"Both runs start from the same exploding initialisation (ρ > 1). Unclipped SGD {fate}, its "
        f"updates reaching {sci(np.nanmax(u.update_norm))}. With the gradient's norm clipped to {r.threshold:g}, "
        f"no update exceeds η·c = {bound:g} and the loss falls from {start:.3g} to {end:.3g}. Clipping bounds "
        f"the step; it does not change the loss surface, and norm clipping keeps the gradient's direction "
        f"(cosine {r.norm_clip_cosine:.3f}; value clipping: {r.value_clip_cosine:.3f})."
    )
    alt = f"Two panels of loss and update norm per SGD step: without clipping the run {fate}; with clipping updates stay at or below {bound:g} and the loss falls from {start:.3g} to {end:.3g}."
    rows = series("loss, no clipping", steps, u.loss) + series("loss, clipped", steps, c.loss)
    rows += series("update norm, no clipping", steps, u.update_norm) + series(
        "update norm, clipped", steps, c.update_norm
    )
    return Plot(figure, title, caption, alt, "SGD step", "loss or update norm", rows)


def plot_weight_decay(r) -> Plot:
    figure, (ax,) = new_figure()
    steps = np.arange(len(r.clipped.loss))
    rows = []
    for i, (decay, record) in enumerate(zip(r.decays, r.decayed, strict=True)):
        label = f"λ = {decay:g}" + (f": diverges at step {record.diverged_at}" if record.diverged else "")
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
    ax.legend(loc="lower left", fontsize=8.5)
    diverged = [d for d, rec in zip(r.decays, r.decayed, strict=True) if rec.diverged]
    final = float(np.mean(r.clipped.loss[-40:]))
    if len(diverged) == len(r.decays):
        title = f"Weight decay up to λ = {max(r.decays):g} does not stop the explosion; clipping does"
    else:
        title = f"Weight decay stopped the explosion only at λ = {', '.join(f'{d:g}' for d in r.decays if d not in diverged)}"
    caption = (
        f"From the same exploding start, unclipped SGD diverged with weight decay λ = "
        f"{', '.join(f'{d:g}' for d in diverged) or 'none of those tried'} (curves leave the top of the plot). "
        f"Decay pulls the weights towards zero by η·λ·θ per step, which is nothing against one exploding gradient. "
        f"With norm clipping instead, every update stays within η·c = {r.learning_rate * r.threshold:g} and the "
        f"loss falls to {final:.3g}."
    )
    alt = f"Loss curves: {len(diverged)} of {len(r.decays)} weight-decay runs diverge; the clipped run falls steadily to {final:.3g}."
    return Plot(figure, title, caption, alt, "SGD step", "loss", rows)


def plot_cliff(r) -> Plot:
    figure, (ax,) = new_figure()
    mesh = ax.pcolormesh(r.w, r.b, np.log10(floor(r.loss)), cmap="cividis", shading="auto", rasterized=True)
    bar = figure.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label("log₁₀ loss")
    ax.plot(r.wall_w, r.wall_b, "x", color=VERMILLION, markersize=8, mew=2.5, label="the wall (|∇L| > 1e6)")

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
        ax.annotate(
            f"thrown to (w, b) = ({land[0]:.0f}, {land[1]:.0f})",
            shown[-1],
            xytext=(20, 25),
            textcoords="offset points",
            color="white",
            arrowprops={"arrowstyle": "->", "color": "white"},
        )
    ax.set_xlim(r.w[0], r.w[-1])
    ax.set_ylim(r.b[0], r.b[-1])
    ax.set_xlabel("w (recurrent weight)")
    ax.set_ylabel("b (bias)")
    ax.legend(loc="lower left", fontsize=8.5)
    worst = float(np.max(r.wall_gradient))
    title = f"A wall with |∇L| up to {sci(worst)}: unclipped SGD is thrown {r.unclipped_largest_step:.0f} units, clipped steps stay ≤ {r.clipped_largest_step:.2g}"
    caption = (
        f"Loss of x_t = w·σ(x_{{t−1}}) + b after 50 steps, (σ(x_50) − 0.7)², over a grid of (w, b). Along the "
        f"marked wall the gradient reaches {sci(worst)}. From the same start, one unclipped SGD step near the "
        f"wall moves the parameters {r.unclipped_largest_step:.3g} units and training ends at loss "
        f"{r.unclipped_loss[-1]:.3g}; with clipping every step is at most η·c = {r.learning_rate * r.threshold:g} "
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


def plot_sensitivity(r) -> Plot:
    figure, (ax,) = new_figure()
    ax.plot(r.rhos, floor(r.relative_change), "o-", color=BLUE, label="relative change of the gradient")
    ax.axhline(r.delta, color=BLACK, linestyle=":", linewidth=1.2)
    ax.annotate(
        f"size of the nudge to a₀: {r.delta:g}",
        (r.rhos[0], r.delta),
        xytext=(0, 5),
        textcoords="offset points",
    )
    ax.axvline(1.0, color="grey", linewidth=1)
    ax.annotate("ρ = 1", (1.0, 1e-14), xytext=(4, 0), textcoords="offset points", color="dimgrey")
    ax.set_yscale("log")
    ax.set_ylim(FLOOR / 3, 1e3)
    ax.set_xlabel("ρ, spectral radius of the recurrent matrix")
    ax.set_ylabel(r"$\|g(a_0 + \delta) - g(a_0)\| \,/\, \|g(a_0)\|$")
    ax.legend(loc="upper left")
    change = dict(zip(r.rhos.tolist(), r.relative_change, strict=True))
    title = f"Nudging the start by 1e-9 changes the gradient by {sci(change[max(change)])} at ρ = {max(change):g}, by {sci(change[min(change)])} at ρ = {min(change):g}"
    caption = (
        f"Each point moves the initial state by 1e-9 and measures how much the whole gradient changes. In the "
        f"contractive regime (ρ ≤ 1) the change is {sci(max(change[p] for p in change if p <= 1))} at most (plotted at the floor "
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


def plot_residual(r) -> Plot:
    figure, (ax,) = new_figure()
    ax.fill_between(r.k, r.low, r.high, color=SKY, alpha=0.25, label=f"band [(1−s)^k, (1+s)^k], s = {r.s:g}")
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
        f"The residual step a_t = a_{{t−1}} + tanh(…) has Jacobian I + diag(tanh′)W, whose effect lies between "
        f"1 − s and 1 + s. The residual gradient stays in that band (it ranges from {sci(r.residual.min())} to "
        f"{sci(r.residual.max())}), while the plain tanh RNN's falls to {sci(r.plain[-1])}. The residual path "
        f"does not hold the gradient at 1: it can grow."
    )
    alt = f"Log-scale plot: the residual RNN's gradient ratio stays within a shaded band and ends at {sci(r.residual[-1])}; the plain RNN's falls below 1e-6 to {sci(r.plain[-1])}."
    rows = series("residual", r.k, r.residual) + series("plain tanh", r.k, r.plain)
    rows += series("band low", r.k, r.low) + series("band high", r.k, r.high)
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_lstm(r) -> Plot:
    figure, (left, right) = new_figure(2)
    rows = []
    for i, (b_f, ratio, predicted) in enumerate(
        zip(r.forget_biases, r.cell_ratios, r.predicted, strict=True)
    ):
        left.plot(
            r.k, floor(ratio), color=PALETTE[i], label=f"b_f = {b_f:g}, σ(b_f) = {1 / (1 + np.exp(-b_f)):.3f}"
        )
        left.plot(r.k, floor(predicted), color=BLACK, linestyle=":", linewidth=1)
        rows += series(f"cell ratio b_f={b_f:g}", r.k, ratio)
    left.set_yscale("log")
    left.set_xlabel("k, steps back")
    left.set_ylabel(r"$\|\partial L/\partial c_{T-k}\| \,/\, \|\partial L/\partial c_T\|$")
    left.set_title(r"cell path, forget gate fixed (dotted: $\sigma(b_f)^k$)", fontsize=9.5)
    left.legend(loc="lower left", fontsize=8)
    right.plot(
        r.k,
        floor(r.hidden_ratio_large_weights),
        color=VERMILLION,
        label=f"large W_h (s = {r.recurrent_scale:g})",
    )
    right.plot(r.k, floor(r.cell_ratio_small_bias), color=PURPLE, label="b_f = 0, ordinary W_h (cell)")
    right.axhline(1.0, color="grey", linewidth=1)
    right.set_yscale("log")
    right.set_xlabel("k, steps back")
    right.set_ylabel("gradient ratio")
    right.set_title("full LSTM", fontsize=9.5)
    right.legend(loc="best", fontsize=8)
    rows += series("hidden ratio, large weights", r.k, r.hidden_ratio_large_weights)
    rows += series("cell ratio, b_f = 0", r.k, r.cell_ratio_small_bias)
    T = int(r.k[-1])
    title = "LSTMs resist vanishing only while their forget gates stay near 1"
    open_gate = r.cell_ratios[-1][-1]
    caption = (
        f"Left: with nothing else reaching the cell, its gradient over k steps is exactly σ(b_f)^k; after {T} "
        f"steps that is {sci(open_gate)} for b_f = {r.forget_biases[-1]:g} but {sci(r.cell_ratios[0][-1])} for "
        f"b_f = {r.forget_biases[0]:g}. Right: a full LSTM with forget bias 0 loses its cell gradient "
        f"({sci(r.cell_ratio_small_bias[-1])} after {T} steps), and with large recurrent weights its hidden-state "
        f"gradient explodes (up to {sci(np.max(r.hidden_ratio_large_weights))})."
    )
    alt = f"Left: cell-gradient ratios follow σ(b_f)^k for several forget biases. Right: with large recurrent weights the LSTM gradient grows to {sci(np.max(r.hidden_ratio_large_weights))}; with forget bias 0 it vanishes."
    return Plot(figure, title, caption, alt, "steps back k", "gradient ratio", rows)


def plot_truncated(r) -> Plot:
    figure, (ax,) = new_figure()
    ax.plot(r.k, floor(r.window_error), "o-", color=BLUE, markersize=3, label="k-step window")
    ax.plot(r.k, floor(r.chunk_error), "s-", color=ORANGE, markersize=3, label="chunks of k steps")
    reference = r.window_error[0] * r.rho ** (r.k - 1.0)
    ax.plot(r.k, reference, color=BLACK, linestyle=":", label=rf"$\rho^k$, $\rho$ = {r.rho:g}")
    ax.annotate(
        "k = T: exact (error 0)", (r.k[-1], FLOOR), xytext=(-5, 12), textcoords="offset points", ha="right"
    )
    ax.set_yscale("log")
    ax.set_xlabel("k, steps kept by truncated BPTT")
    ax.set_ylabel(r"$\|g_k - g\| \,/\, \|g\|$")
    ax.legend(loc="upper right")
    title = f"Truncation error shrinks by {r.fitted_factor:.3f} per step of window (ρ = {r.rho:g}); k = T is exact"
    caption = (
        f"Truncated BPTT misses the gradient from beyond its window. For a linear RNN with W_aa = ρQ the error "
        f"falls by a fitted factor {r.fitted_factor:.3f} per extra step, close to ρ = {r.rho:g}; a window of "
        f"k = T = {int(r.k[-1])} steps gives exactly full BPTT. Each step of window costs one more step of "
        f"backward work."
    )
    alt = "Log-scale plot of truncation error against window length, falling along ρ^k to zero at k = T."
    rows = series("window error", r.k, r.window_error) + series("chunk error", r.k, r.chunk_error)
    return Plot(figure, title, caption, alt, "window k", "relative error", rows)


def plot_cost(r) -> Plot:
    figure, (left, right) = new_figure(2)
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
    left.set_xlabel(f"sequence length T (n = {r.fixed_n})")
    left.set_ylabel("forward + backward (ms)")
    handles = left.get_legend_handles_labels()[0] + mem.get_legend_handles_labels()[0]
    left.legend(handles=handles, loc="upper left", fontsize=8)
    right.loglog(
        r.sizes,
        r.seconds_by_size * 1e3,
        "o-",
        color=GREEN,
        label=f"time (slope {r.time_slope_in_size:.2f} over the larger sizes)",
    )
    ref = r.seconds_by_size[-1] * 1e3 * (r.sizes / r.sizes[-1]) ** 2
    right.loglog(r.sizes, ref, color=BLACK, linestyle=":", label="slope 2")
    right.set_xlabel(f"hidden size n (T = {r.fixed_T})")
    right.set_ylabel("forward + backward (ms)")
    right.legend(loc="upper left", fontsize=8)
    count_ratio = r.multiply_adds_by_size[-1] / r.multiply_adds_by_size[-2]
    time_ratio = r.seconds_by_size[-1] / r.seconds_by_size[-2]
    title = f"BPTT's time is linear in T (slope {r.time_slope_in_length:.2f}); its work grows as n², measured time as n^{r.time_slope_in_size:.2f} here"
    caption = (
        f"A forward and backward pass costs exactly 3·T·B·(n² + n·n_x + n·n_y) multiply-adds "
        f"({r.multiply_adds_by_size[-1]:,} at n = {r.sizes[-1]}, T = {r.fixed_T}, B = 16). Measured on this machine, "
        f"time grows with slope {r.time_slope_in_length:.2f} in T: linear. From n = {r.sizes[-2]} to {r.sizes[-1]} the "
        f"work grows {count_ratio:.1f}× and the time {time_ratio:.1f}× (fitted slope {r.time_slope_in_size:.2f}"
        + (
            "): at these sizes the matrix library runs faster on larger matrices, so time grows more slowly "
            "than the count. "
            if r.time_slope_in_size < 1.8
            else "), as the count predicts. "
        )
        + f"Peak memory grows with slope {r.memory_slope_in_length:.2f} in T, because BPTT stores every step's "
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
    "weight-decay": plot_weight_decay,
    "cliff": plot_cliff,
    "sensitivity": plot_sensitivity,
    "residual-paths": plot_residual,
    "lstm-forget-gate": plot_lstm,
    "truncated-bptt": plot_truncated,
    "bptt-cost": plot_cost,
}


def make_plot(name: str, params: dict[str, float | int]) -> Plot:
    """Run the experiment with validated parameters and draw its plot."""
    experiment = get_experiment(name)
    import matplotlib

    with matplotlib.rc_context(STYLE):
        return PLOTTERS[name](experiment.run(params))


def render(name: str, params: dict[str, float | int]) -> RenderedPlot:
    """The plot as PNG (2x, 1440 px wide) and SVG bytes, with its texts and numbers."""
    plot = make_plot(name, params)
    import matplotlib

    with matplotlib.rc_context(STYLE):
        png, svg = io.BytesIO(), io.BytesIO()
        plot.figure.savefig(png, format="png", dpi=200, metadata={"Software": None})
        plot.figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return RenderedPlot(
        png=png.getvalue(),
        svg=svg.getvalue(),
        title=plot.title,
        caption=plot.caption,
        alt=plot.alt,
        claim=get_experiment(name).claim,
        x_label=plot.x_label,
        y_label=plot.y_label,
        rows=plot.rows,
    )

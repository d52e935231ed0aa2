"""Experiments 3, 4, 5 and 9: how the gradient changes as it flows back through time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import rnn
from ..initialisation import gaussian_with_top_singular_value, rnn_params, scaled_orthogonal
from ..losses import squared_error
from ..truncation import window_backward
from .spec import Distractor, Experiment, Param, Quantity, hidden_param, length_param, seed_param


def ratio_back_in_time(
    params: rnn.RNNParams, x: np.ndarray, a0: np.ndarray | None, cell: rnn.Cell, rng
) -> np.ndarray:
    """‖dL/da_{T−k}‖ / ‖dL/da_T‖ for k = 0..T, with a loss at the last step only."""
    trace = rnn.forward(params, x, a0, cell=cell)
    targets = rng.standard_normal(trace.y.shape)
    _, dy = squared_error(trace.y, targets, kind="last")
    norms = rnn.state_gradient_norms(rnn.backward(params, trace, dy).da)
    return norms[::-1] / norms[-1]


@dataclass(frozen=True)
class PowerLawResult:
    k: np.ndarray  # steps back in time, 0..T
    rhos: np.ndarray  # the spectral radii compared
    ratios: np.ndarray  # (len(rhos), T+1)
    rho: float  # the requested ρ, one of rhos


def power_law(*, rho: float, T: int, n: int, seed: int) -> PowerLawResult:
    """At zero input and zero state, tanh′ = 1 and every step multiplies the gradient by W_aaᵀ = ρQᵀ."""
    rhos = np.unique(np.array([0.9, 1.0, 1.1, rho]))
    ratios = []
    for r in rhos:
        rng = np.random.default_rng(seed)
        params = rnn_params(n=n, n_x=1, n_y=n, rng=rng, recurrent=scaled_orthogonal(n, r, rng))
        ratios.append(ratio_back_in_time(params, np.zeros((T, 1, 1)), None, "tanh", rng))
    return PowerLawResult(k=np.arange(T + 1), rhos=rhos, ratios=np.array(ratios), rho=rho)


@dataclass(frozen=True)
class BoundResult:
    k: np.ndarray
    ratio: np.ndarray  # measured ‖dL/da_{T−k}‖ / ‖dL/da_T‖
    bound: np.ndarray  # s^k
    s: float


def pascanu_bound(*, s: float, T: int, n: int, seed: int) -> BoundResult:
    """A tanh RNN whose recurrent matrix has largest singular value s, driven by random inputs."""
    rng = np.random.default_rng(seed)
    params = rnn_params(
        n=n, n_x=4, n_y=2, rng=rng, recurrent=gaussian_with_top_singular_value((n, n), s, rng)
    )
    x = rng.standard_normal((T, 8, 4))
    ratio = ratio_back_in_time(params, x, None, "tanh", rng)
    k = np.arange(T + 1)
    return BoundResult(k=k, ratio=ratio, bound=s ** k.astype(float), s=s)


@dataclass(frozen=True)
class InputWeightsResult:
    distance: np.ndarray  # T − p for an input given only at step p
    w_ax_scale: np.ndarray  # ‖∂L/∂W_ax‖ / (‖dL/da_T‖ ‖x_p‖)
    rho: float
    cut_change: dict[str, float]  # relative change of each parameter's gradient when the product is cut


def input_weights(*, rho: float, T: int, n: int, seed: int) -> InputWeightsResult:
    """Linear RNN, W_aa = ρQ, a single input at step p; then the same network with the product cut."""
    rng = np.random.default_rng(seed)
    params = rnn_params(n=n, n_x=2, n_y=2, rng=rng, recurrent=scaled_orthogonal(n, rho, rng))
    targets = rng.standard_normal((T, 1, 2))
    scale = []
    for p in range(1, T + 1):
        x = np.zeros((T, 1, 2))
        x[p - 1, 0] = (1.0, 0.5)
        trace = rnn.forward(params, x, cell="linear")
        _, dy = squared_error(trace.y, targets, kind="last")
        grads = rnn.backward(params, trace, dy)
        scale.append(
            np.linalg.norm(grads.params.W_ax) / (np.linalg.norm(grads.da[-1]) * np.linalg.norm(x[p - 1]))
        )
    # Cut the product over time (each loss term backpropagates through its own step only).
    x = rng.standard_normal((T, 4, 2))
    trace = rnn.forward(params, x, cell="linear")
    _, dy = squared_error(trace.y, rng.standard_normal((T, 4, 2)), kind="sum")
    full = rnn.backward(params, trace, dy).params
    cut = window_backward(params, trace, dy, k=1)
    change = {
        name: float(np.linalg.norm(getattr(cut, name) - g) / np.linalg.norm(g))
        for name, g in full.arrays().items()
    }
    return InputWeightsResult(
        distance=T - np.arange(1, T + 1), w_ax_scale=np.array(scale), rho=rho, cut_change=change
    )


@dataclass(frozen=True)
class ResidualResult:
    k: np.ndarray
    plain: np.ndarray  # tanh RNN ratio
    residual: np.ndarray  # residual RNN ratio, same weights
    low: np.ndarray  # (1 − s)^k
    high: np.ndarray  # (1 + s)^k
    s: float


def residual_paths(*, s: float, T: int, n: int, seed: int) -> ResidualResult:
    """The same recurrent matrix (largest singular value s) with and without the identity path."""
    rng = np.random.default_rng(seed)
    params = rnn_params(
        n=n, n_x=4, n_y=2, rng=rng, recurrent=gaussian_with_top_singular_value((n, n), s, rng)
    )
    x = 0.5 * rng.standard_normal((T, 8, 4))
    plain = ratio_back_in_time(params, x, None, "tanh", np.random.default_rng(seed + 1))
    residual = ratio_back_in_time(params, x, None, "residual", np.random.default_rng(seed + 1))
    k = np.arange(T + 1).astype(float)
    return ResidualResult(k=k, plain=plain, residual=residual, low=(1 - s) ** k, high=(1 + s) ** k, s=s)


STEPS_BACK = Param("k", 20, 1, 200, "Steps back in time from the loss.", integer=True, label="k")


def at_steps_back(run, v) -> tuple[int, float]:
    """A gradient ratio's place on its plot: the first panel, k steps back."""
    return 0, float(v["k"])


def power_distractors(base: str, symbol: str, plain: str) -> dict[str, Distractor]:
    """The usual wrong ways to carry a factor over k steps, for a factor named ``base``.

    ``symbol`` is the factor in LaTeX (for the feedback), ``plain`` in plain text (for the labels).
    """
    return {
        "k-times": Distractor(
            f"k{plain} instead of {plain}ᵏ",
            lambda v: v["k"] * v[base],
            rf"That is $k{symbol}$: each step *multiplies* the gradient by ${symbol}$, so $k$ steps "
            rf"multiply it by ${symbol}^k$; the factors compound, they do not add up.",
        ),
        "over-k": Distractor(
            f"{plain}/k",
            lambda v: v[base] / v["k"],
            rf"That divides ${symbol}$ by $k$. Going back $k$ steps applies the factor ${symbol}$ "
            rf"$k$ times: ${symbol}^k$.",
        ),
        "inverse-power": Distractor(
            f"1/{plain}ᵏ, the factor turned upside down",
            lambda v: v[base] ** -v["k"],
            rf"That is $1/{symbol}^k$. Each step back multiplies the gradient by ${symbol}$ itself, so a "
            rf"factor below 1 shrinks it and one above 1 grows it.",
        ),
        "about-one": Distractor(
            "≈ 1: the gradient is kept",
            lambda v: 1.0,
            rf"Nothing keeps the gradient at its size here: each step multiplies it by ${symbol}$, so only "
            rf"${symbol} = 1$ would.",
            text="≈ 1: the gradient keeps its size",
        ),
    }


def power_law_ratio(run, v) -> float:
    result = run()
    return float(result.ratios[list(result.rhos).index(v["rho"])][v["k"]])


POWER_LAW = Experiment(
    name="rho-power-law",
    title="Gradient norm against distance in time",
    claim=(
        "With $W_{aa} = \\rho Q$ at zero input, the gradient $k$ steps back is exactly $\\rho^k$ "
        "times the last one: it vanishes for $\\rho < 1$ and explodes for $\\rho > 1$."
    ),
    params=(
        Param("rho", 0.9, 0.5, 1.5, "Spectral radius ρ of the recurrent matrix.", label="ρ"),
        length_param(100, 10, 200, "Steps back in time."),
        hidden_param(16, 2, 64),
        seed_param(3),
    ),
    runner=power_law,
    quantities=(
        Quantity(
            "ratio",
            "the share of the gradient left k steps back",
            power_law_ratio,
            probes=(STEPS_BACK,),
            run_params=lambda v: {"T": v["k"]},
            closed_form=lambda v: v["rho"] ** v["k"],
            plotted_at=at_steps_back,
            distractors=power_distractors("rho", "\\rho", "ρ"),
        ),
    ),
)
PASCANU_BOUND = Experiment(
    name="pascanu-bound",
    title="Pascanu's bound on a tanh RNN",
    claim=(
        "For a tanh RNN whose recurrent matrix has largest singular value $s$, the gradient $k$ steps back "
        "is never more than $s^k$ times the last one."
    ),
    params=(
        Param("s", 0.9, 0.5, 1.5, "Largest singular value of the recurrent matrix.", label="s"),
        length_param(60, 10, 200),
        hidden_param(16, 2, 64),
        seed_param(4),
    ),
    runner=pascanu_bound,
    quantities=(
        Quantity(
            "bound",
            "Pascanu's bound on the share of the gradient left k steps back",
            lambda run, v: float(run().bound[v["k"]]),
            probes=(STEPS_BACK,),
            run_params=lambda v: {"T": v["k"]},
            closed_form=lambda v: v["s"] ** v["k"],
            plotted_at=at_steps_back,
            holds=lambda run, v: bool(np.all(run().ratio <= run().bound * (1 + 1e-12))),
            distractors=power_distractors("s", "s", "s"),
        ),
    ),
)
INPUT_WEIGHTS = Experiment(
    name="input-weights",
    title="The input weights inherit the product over time",
    claim=(
        "An input given $k$ steps before the loss gets a $W_{ax}$ gradient scaled by $\\rho^k$, "
        "like $W_{aa}$'s; cutting the product over time changes $W_{aa}$, $W_{ax}$ and $b_a$ but "
        "leaves $W_y$ and $b_y$ exactly as they were."
    ),
    params=(
        Param("rho", 0.8, 0.5, 1.5, "Spectral radius ρ of the recurrent matrix.", label="ρ"),
        length_param(30, 5, 80),
        hidden_param(8, 2, 32),
        seed_param(5),
    ),
    runner=input_weights,
)
RESIDUAL = Experiment(
    name="residual-paths",
    title="Residual paths stop the vanishing",
    claim=(
        "With a recurrent matrix of largest singular value $s$, the residual RNN's gradient ratio stays "
        "within $[(1-s)^k, (1+s)^k]$ while the plain tanh RNN's vanishes: it does not vanish, and it "
        "may grow."
    ),
    params=(
        Param("s", 0.3, 0.05, 0.9, "Largest singular value of the recurrent matrix.", label="s"),
        length_param(60, 10, 200),
        hidden_param(16, 2, 64),
        seed_param(9),
    ),
    runner=residual_paths,
    quantities=(
        Quantity(
            "upper-band",
            "the most the residual RNN's gradient can grow over k steps",
            lambda run, v: float(run().high[v["k"]]),
            probes=(STEPS_BACK,),
            run_params=lambda v: {"T": v["k"]},
            closed_form=lambda v: (1 + v["s"]) ** v["k"],
            plotted_at=at_steps_back,
            holds=lambda run, v: bool(
                np.all(run().residual >= run().low * (1 - 1e-12))
                and np.all(run().residual <= run().high * (1 + 1e-12))
            ),
            distractors={
                "tanh-bound": Distractor(
                    "sᵏ, the plain tanh RNN's bound",
                    lambda v: v["s"] ** v["k"],
                    "That is Pascanu's bound for the plain tanh RNN. The identity path adds 1 to every "
                    "step's Jacobian, so each step can multiply the gradient by up to $1 + s$.",
                ),
                "linearised": Distractor(
                    "1 + ks, the growth added up instead of compounded",
                    lambda v: 1 + v["k"] * v["s"],
                    "That adds $s$ once per step. The steps' factors multiply: $(1 + s)^k$.",
                ),
                "about-one": Distractor(
                    "1: the identity path keeps the gradient exactly",
                    lambda v: 1.0,
                    "The identity path stops the gradient vanishing, but the recurrent term still acts: "
                    "the gradient may grow, up to $(1 + s)^k$.",
                    text="1: the identity path keeps it exactly",
                ),
            },
        ),
    ),
)

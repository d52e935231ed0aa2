"""Experiment 11: truncated BPTT, exact at k = T, with an error that decays like ρ^k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import rnn
from ..initialisation import rnn_params, scaled_orthogonal
from ..losses import squared_error
from ..truncation import window_backward
from .spec import Distractor, Experiment, Param, Quantity, hidden_param, length_param, seed_param


@dataclass(frozen=True)
class TruncationResult:
    k: np.ndarray  # window lengths 1..T
    window_error: np.ndarray  # ‖g_k − g‖ / ‖g‖ for the k-step window
    chunk_error: np.ndarray  # the same for chunks of k steps
    rho: float
    fitted_factor: float  # exp(slope of log error against k), fitted where the error is above rounding


def run(*, rho: float, T: int, n: int, seed: int) -> TruncationResult:
    """A linear RNN with W_aa = ρQ and a last-step loss, where each extra step of window gains a factor ρ."""
    rng = np.random.default_rng(seed)
    params = rnn_params(n=n, n_x=3, n_y=2, rng=rng, recurrent=scaled_orthogonal(n, rho, rng))
    x = rng.standard_normal((T, 8, 3))
    trace = rnn.forward(params, x, cell="linear")
    _, dy = squared_error(trace.y, rng.standard_normal((T, 8, 2)), kind="last")
    full = rnn.backward(params, trace, dy).params.flat()
    scale = np.linalg.norm(full)
    ks = np.arange(1, T + 1)
    window = np.array(
        [np.linalg.norm(window_backward(params, trace, dy, k=k).flat() - full) / scale for k in ks]
    )
    chunk = np.array(
        [
            np.linalg.norm(rnn.backward(params, trace, dy, stop_every=k).params.flat() - full) / scale
            for k in ks
        ]
    )
    usable = window > 1e-12
    slope = np.polyfit(ks[usable], np.log(window[usable]), 1)[0] if usable.sum() >= 2 else np.nan
    return TruncationResult(
        k=ks, window_error=window, chunk_error=chunk, rho=rho, fitted_factor=float(np.exp(slope))
    )


EXPERIMENT = Experiment(
    name="truncated-bptt",
    title="Truncated BPTT",
    claim=(
        "Truncated BPTT with a window of $k = T$ steps is full BPTT; shorter windows miss the gradient from "
        "further back, and that error shrinks by a factor $\\rho$ for every step added to the window."
    ),
    params=(
        Param("rho", 0.8, 0.5, 0.98, "Spectral radius of the recurrent matrix.", label="ρ"),
        length_param(40, 5, 100),
        hidden_param(16, 2, 32),
        seed_param(11),
    ),
    runner=run,
    quantities=(
        Quantity(
            "shrink-factor",
            "the factor by which the truncation error shrinks for each step added to the window",
            lambda run, v: run().fitted_factor,
            closed_form=lambda v: v["rho"],
            agreement=0.05,  # a fit of log error against k: the claim's "a factor ρ" holds to 5%
            distractors={
                "complement": Distractor(
                    "1 − ρ",
                    lambda v: 1 - v["rho"],
                    r"That is $1 - \rho$. The missing gradient comes from further back, where it has been "
                    r"multiplied by $\rho$ once more per step: the error shrinks by $\rho$.",
                ),
                "squared": Distractor(
                    "ρ²",
                    lambda v: v["rho"] ** 2,
                    r"One more step of window recovers one more step of the product, a single factor "
                    r"$\rho$, not $\rho^2$.",
                ),
                "inverse": Distractor(
                    "1/ρ: the error grows",
                    lambda v: 1 / v["rho"],
                    r"A longer window recovers more of the gradient, so the error shrinks; with "
                    r"$\rho < 1$ the factor is $\rho$.",
                ),
            },
        ),
    ),
)

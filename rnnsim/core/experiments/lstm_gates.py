"""Experiment 10: the LSTM's forget gate decides whether its cell gradient survives."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import lstm
from ..initialisation import lstm_params
from ..losses import squared_error
from .gradient_flow import STEPS_BACK, at_steps_back
from .spec import Distractor, Experiment, Param, Quantity, length_param, seed_param


@dataclass(frozen=True)
class LSTMResult:
    k: np.ndarray  # steps back, 0..T
    forget_biases: np.ndarray
    cell_ratios: np.ndarray  # (len(biases), T+1): ‖dL/dc_{T−k}‖ / ‖dL/dc_T‖ with W_h = 0
    predicted: np.ndarray  # σ(b_f)^k for each bias
    recurrent_scale: float
    hidden_ratio_large_weights: np.ndarray  # ‖dL/dh_{T−k}‖ / ‖dL/dh_T‖ with large recurrent weights
    cell_ratio_small_bias: np.ndarray  # ‖dL/dc_{T−k}‖ / ‖dL/dc_T‖ with b_f = 0, ordinary weights


def gradient_norms(params: lstm.LSTMParams, x: np.ndarray, rng: np.random.Generator):
    trace = lstm.forward(params, x)
    _, dy = squared_error(trace.y, rng.standard_normal(trace.y.shape), kind="last")
    grads = lstm.backward(params, trace, dy)
    dh = np.sqrt(np.einsum("tbn,tbn->t", grads.dh, grads.dh))
    dc = np.sqrt(np.einsum("tbn,tbn->t", grads.dc, grads.dc))
    return dh[::-1] / dh[-1], dc[::-1] / dc[-1]


def run(*, T: int, forget_bias: float, recurrent_scale: float, seed: int) -> LSTMResult:
    n, n_x, batch = 16, 2, 8
    biases = np.unique(np.array([0.0, 1.0, 3.0, 5.0, forget_bias]))
    x = np.random.default_rng(seed).standard_normal((T, batch, n_x))
    cell_ratios = []
    for b_f in biases:
        rng = np.random.default_rng(seed)
        params = lstm_params(n=n, n_x=n_x, n_y=1, rng=rng, forget_bias=b_f)
        W_x = params.W_x.copy()
        W_x[n : 2 * n] = 0.0  # no input reaches the forget gate
        isolated = lstm.LSTMParams(
            W_x=W_x, W_h=np.zeros_like(params.W_h), b=params.b, W_y=params.W_y, b_y=params.b_y
        )
        cell_ratios.append(gradient_norms(isolated, x, rng)[1])
    k = np.arange(T + 1).astype(float)
    rng = np.random.default_rng(seed)
    large = lstm_params(n=n, n_x=n_x, n_y=1, rng=rng, recurrent_scale=recurrent_scale, forget_bias=1.0)
    hidden_large, _ = gradient_norms(large, x, rng)
    rng = np.random.default_rng(seed)
    closed = lstm_params(n=n, n_x=n_x, n_y=1, rng=rng, recurrent_scale=1.0, forget_bias=0.0)
    _, cell_closed = gradient_norms(closed, x, rng)
    return LSTMResult(
        k=k,
        forget_biases=biases,
        cell_ratios=np.array(cell_ratios),
        predicted=lstm.sigmoid(biases)[:, None] ** k[None, :],
        recurrent_scale=recurrent_scale,
        hidden_ratio_large_weights=hidden_large,
        cell_ratio_small_bias=cell_closed,
    )


EXPERIMENT = Experiment(
    name="lstm-forget-gate",
    title="LSTMs resist vanishing only while their forget gates stay near 1",
    claim=(
        "With a constant forget gate $\\sigma(b_f)$, the LSTM's cell gradient over $k$ steps is exactly "
        "$\\sigma(b_f)^k$; "
        "with a forget bias near 0 it vanishes, and with large recurrent weights the gradient explodes."
    ),
    params=(
        length_param(50, 10, 150),
        Param("forget_bias", 3.0, -2.0, 8.0, "Forget-gate bias b_f.", label="b_f"),
        Param("recurrent_scale", 24.0, 1.0, 30.0, "Largest singular value of the recurrent weights."),
        seed_param(10),
    ),
    runner=run,
    quantities=(
        Quantity(
            "cell-ratio",
            "the share of the cell-state gradient left k steps back",
            lambda run, v: float(
                run().cell_ratios[list(run().forget_biases).index(v["forget_bias"])][v["k"]]
            ),
            probes=(STEPS_BACK,),
            run_params=lambda v: {"T": v["k"]},
            closed_form=lambda v: float(lstm.sigmoid(np.array(v["forget_bias"]))) ** v["k"],
            plotted_at=at_steps_back,
            distractors={
                "k-times": Distractor(
                    "kσ(b_f) instead of σ(b_f)ᵏ",
                    lambda v: v["k"] * float(lstm.sigmoid(np.array(v["forget_bias"]))),
                    r"That adds the forget gate up over the steps. Each step multiplies the cell gradient "
                    r"by $f = \sigma(b_f)$, so $k$ steps multiply it by $\sigma(b_f)^k$.",
                ),
                "complement": Distractor(
                    "(1 − σ(b_f))ᵏ, the gate's complement",
                    lambda v: (1 - float(lstm.sigmoid(np.array(v["forget_bias"])))) ** v["k"],
                    r"That uses $1 - f$, the share the gate forgets. The gradient flows through what it "
                    r"keeps, $f = \sigma(b_f)$, once per step.",
                ),
                "bias-power": Distractor(
                    "b_fᵏ, the bias itself instead of the gate",
                    lambda v: v["forget_bias"] ** v["k"],
                    r"That raises the bias, not the gate, to the power $k$. The gate is $\sigma(b_f)$, "
                    r"between 0 and 1.",
                ),
                "about-one": Distractor(
                    "≈ 1: an LSTM never forgets",
                    lambda v: 1.0,
                    r"Only a forget gate of exactly 1 keeps the cell gradient whole; any $\sigma(b_f) < 1$ "
                    r"shrinks it by that factor every step.",
                    text="≈ 1: an LSTM's cell gradient never fades",
                ),
            },
        ),
    ),
)

"""Experiment 1: BPTT gradients equal central finite differences, for every model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import lstm, rnn
from ..gradcheck import numerical_gradient, relative_error
from ..initialisation import lstm_params, rnn_params
from ..losses import LossKind, squared_error
from .spec import Experiment, hidden_param, length_param, seed_param

MODELS = ("tanh", "linear", "residual", "lstm")


@dataclass(frozen=True)
class GradientCheckResult:
    models: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]  # per model: the checked arrays, parameters then states
    errors: tuple[np.ndarray, ...]  # per model: relative error of each checked array
    worst: float


def rnn_errors(
    cell: rnn.Cell, *, T: int, n: int, kind: LossKind, rng: np.random.Generator
) -> dict[str, float]:
    """Relative error of every parameter gradient and every dL/da_t against finite differences."""
    B, n_x, n_y = 3, 3, 2
    params = rnn_params(
        n=n, n_x=n_x, n_y=n_y, rng=rng, recurrent=0.9 * rng.standard_normal((n, n)) / np.sqrt(n)
    )
    params = params.map(lambda w: w + 0.1 * rng.standard_normal(w.shape))  # nonzero biases too
    x = rng.standard_normal((T, B, n_x))
    a0 = 0.5 * rng.standard_normal((B, n))
    targets = rng.standard_normal((T, B, n_y))
    trace = rnn.forward(params, x, a0, cell=cell)
    _, dy = squared_error(trace.y, targets, kind=kind)
    grads = rnn.backward(params, trace, dy)

    def loss_with(name: str, value: np.ndarray) -> float:
        changed = params.arrays() | {name: value}
        return squared_error(rnn.forward(rnn.RNNParams(**changed), x, a0, cell=cell).y, targets, kind=kind)[0]

    errors = {
        name: relative_error(
            getattr(grads.params, name), numerical_gradient(lambda v, nm=name: loss_with(nm, v), w)
        )
        for name, w in params.arrays().items()
    }
    for t in range(T + 1):
        errors[f"dL/da_{t}"] = relative_error(
            grads.da[t],
            numerical_gradient(
                lambda v, t=t: rnn_loss_from_state(params, x, targets, t, v, cell, kind), trace.a[t]
            ),
        )
    return errors


def rnn_loss_from_state(params, x, targets, t: int, state, cell: rnn.Cell, kind: LossKind) -> float:
    """The loss as a function of the state a_t alone: its own output's loss plus the rest of the run."""
    T = x.shape[0]
    total = 0.0
    if t > 0 and (kind == "sum" or t == T):
        y_t = state @ params.W_y.T + params.b_y
        total += 0.5 * float(np.sum((y_t - targets[t - 1]) ** 2))
    if t < T:
        rest = rnn.forward(params, x[t:], state, cell=cell)
        total += squared_error(rest.y, targets[t:], kind=kind)[0]
    return total


def lstm_errors(*, T: int, n: int, kind: LossKind, rng: np.random.Generator) -> dict[str, float]:
    B, n_x, n_y = 3, 3, 2
    params = lstm_params(n=n, n_x=n_x, n_y=n_y, rng=rng, recurrent_scale=1.0, forget_bias=1.0)
    params = params.map(lambda w: w + 0.1 * rng.standard_normal(w.shape))
    x = rng.standard_normal((T, B, n_x))
    h0, c0 = 0.5 * rng.standard_normal((B, n)), 0.5 * rng.standard_normal((B, n))
    targets = rng.standard_normal((T, B, n_y))
    trace = lstm.forward(params, x, h0, c0)
    _, dy = squared_error(trace.y, targets, kind=kind)
    grads = lstm.backward(params, trace, dy)

    def loss_with(name: str, value: np.ndarray) -> float:
        changed = lstm.LSTMParams(**(params.arrays() | {name: value}))
        return squared_error(lstm.forward(changed, x, h0, c0).y, targets, kind=kind)[0]

    def loss_from(t: int, h: np.ndarray, c: np.ndarray) -> float:
        total = 0.0
        if t > 0 and (kind == "sum" or t == T):
            total += 0.5 * float(np.sum((h @ params.W_y.T + params.b_y - targets[t - 1]) ** 2))
        if t < T:
            total += squared_error(lstm.forward(params, x[t:], h, c).y, targets[t:], kind=kind)[0]
        return total

    errors = {
        name: relative_error(
            getattr(grads.params, name), numerical_gradient(lambda v, nm=name: loss_with(nm, v), w)
        )
        for name, w in params.arrays().items()
    }

    def loss_from_cell(t: int, c: np.ndarray) -> float:
        # dL/dc_t counts c_t's effect on h_t = o_t ⊙ tanh(c_t) too; h_0 is an input of its own.
        h = trace.h[0] if t == 0 else trace.gates[t - 1, :, 3 * n :] * np.tanh(c)
        return loss_from(t, h, c)

    for t in range(T + 1):
        h_t, c_t = trace.h[t], trace.c[t]
        errors[f"dL/dh_{t}"] = relative_error(
            grads.dh[t], numerical_gradient(lambda v, t=t, c=c_t: loss_from(t, v, c), h_t)
        )
        errors[f"dL/dc_{t}"] = relative_error(
            grads.dc[t], numerical_gradient(lambda v, t=t: loss_from_cell(t, v), c_t)
        )
    return errors


def run(*, T: int, n: int, seed: int) -> GradientCheckResult:
    rng = np.random.default_rng(seed)
    per_model = [rnn_errors(cell, T=T, n=n, kind="sum", rng=rng) for cell in ("tanh", "linear", "residual")]
    per_model.append(lstm_errors(T=T, n=n, kind="sum", rng=rng))
    return GradientCheckResult(
        models=MODELS,
        names=tuple(tuple(errors) for errors in per_model),
        errors=tuple(np.array(list(errors.values())) for errors in per_model),
        worst=max(max(errors.values()) for errors in per_model),
    )


EXPERIMENT = Experiment(
    name="gradient-check",
    title="BPTT gradients against finite differences",
    claim=(
        "For every model, every parameter gradient and every state gradient from BPTT agrees with "
        "central finite differences to a relative error below $10^{-7}$."
    ),
    params=(
        length_param(6, 2, 12),
        hidden_param(4, 2, 8),
        seed_param(1),
    ),
    runner=run,
)

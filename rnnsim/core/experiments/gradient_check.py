"""Experiment 1: BPTT gradients equal central finite differences, for every model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import lstm, rnn
from ..gradcheck import numerical_gradient, numerical_gradient_at_once, relative_error
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
            numerical_gradient_at_once(
                lambda states, t=t: rnn_losses_from_states(params, x, targets, t, states, cell, kind),
                trace.a[t],
            ),
        )
    return errors


def rnn_losses_from_states(
    params: rnn.RNNParams, x, targets, t: int, states: np.ndarray, cell: rnn.Cell, kind: LossKind
) -> np.ndarray:
    """The loss as a function of the state a_t alone, its own output's loss plus the rest of the run,
    for each of a stack of states (K, B, n): the K copies run on as one batch of K·B sequences."""
    T = x.shape[0]
    copies, B, n = states.shape
    total = np.zeros(copies)
    if t > 0 and (kind == "sum" or t == T):
        total += output_losses(states, params.W_y, params.b_y, targets[t - 1])
    if t < T:
        rest = rnn.forward(params, np.tile(x[t:], (1, copies, 1)), states.reshape(copies * B, n), cell=cell)
        total += losses_of_copies(rest.y, targets[t:], copies, kind)
    return total


def output_losses(states: np.ndarray, W_y: np.ndarray, b_y: np.ndarray, target: np.ndarray) -> np.ndarray:
    """½‖W_y s + b_y − target‖² summed over the batch, for each copy of the states (K, B, n)."""
    diff = states @ W_y.T + b_y - target
    return 0.5 * np.einsum("kbo,kbo->k", diff, diff)


def losses_of_copies(y: np.ndarray, targets: np.ndarray, copies: int, kind: LossKind) -> np.ndarray:
    """The squared-error loss of each copy of the batch, from outputs (T, K·B, n_y) run as one batch."""
    steps, rows, n_y = y.shape
    diff = y.reshape(steps, copies, rows // copies, n_y) - targets[:, None]
    if kind == "last":
        diff = diff[-1:]
    return 0.5 * np.einsum("tkbo,tkbo->k", diff, diff)


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

    def losses_from(t: int, h: np.ndarray, c: np.ndarray) -> np.ndarray:
        """The loss from step t on, for each of a stack of states h and c (K, B, n), as one batch."""
        copies = h.shape[0]
        total = np.zeros(copies)
        if t > 0 and (kind == "sum" or t == T):
            total += output_losses(h, params.W_y, params.b_y, targets[t - 1])
        if t < T:
            rows = (copies * B, n)
            rest = lstm.forward(params, np.tile(x[t:], (1, copies, 1)), h.reshape(rows), c.reshape(rows))
            total += losses_of_copies(rest.y, targets[t:], copies, kind)
        return total

    errors = {
        name: relative_error(
            getattr(grads.params, name), numerical_gradient(lambda v, nm=name: loss_with(nm, v), w)
        )
        for name, w in params.arrays().items()
    }

    def losses_from_cell(t: int, c: np.ndarray) -> np.ndarray:
        # dL/dc_t counts c_t's effect on h_t = o_t ⊙ tanh(c_t) too; h_0 is an input of its own.
        h = np.broadcast_to(trace.h[0], c.shape) if t == 0 else trace.gates[t - 1, :, 3 * n :] * np.tanh(c)
        return losses_from(t, h, c)

    for t in range(T + 1):
        h_t, c_t = trace.h[t], trace.c[t]
        errors[f"dL/dh_{t}"] = relative_error(
            grads.dh[t],
            numerical_gradient_at_once(
                lambda hs, t=t, c=c_t: losses_from(t, hs, np.broadcast_to(c, hs.shape)), h_t
            ),
        )
        errors[f"dL/dc_{t}"] = relative_error(
            grads.dc[t], numerical_gradient_at_once(lambda cs, t=t: losses_from_cell(t, cs), c_t)
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

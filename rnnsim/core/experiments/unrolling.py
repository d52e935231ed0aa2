"""Experiment 2: unrolling makes one copy of the network per step; the shared weight's gradient is
the sum of the copies' gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import rnn
from ..gradcheck import numerical_gradient, relative_error
from ..initialisation import rnn_params, scaled_orthogonal
from ..losses import squared_error
from .spec import Experiment, Param, hidden_param, length_param, seed_param


@dataclass(frozen=True)
class UnrollingResult:
    steps: np.ndarray  # 1..T
    copy_norms: np.ndarray  # (T,) ‖∂L/∂W_aa^(t)‖ of each step's own copy
    tied_minus_sum: float  # max |tied gradient − Σ copies| over W_aa, W_ax, b_a
    copy_check_error: float  # finite-difference check of one copy's gradient in the untied network


def untied_forward(W_aa: np.ndarray, W_ax: np.ndarray, b_a: np.ndarray, params: rnn.RNNParams, x: np.ndarray):
    """The unrolled network with its own weights at every step: W_aa[t], W_ax[t], b_a[t]."""
    T, B, _ = x.shape
    a = [np.zeros((B, W_aa.shape[1]))]
    for t in range(T):
        a.append(
            np.tanh(np.einsum("bj,ij->bi", a[t], W_aa[t]) + np.einsum("bj,ij->bi", x[t], W_ax[t]) + b_a[t])
        )
    a = np.stack(a)
    return a, np.einsum("tbj,ij->tbi", a[1:], params.W_y) + params.b_y


def untied_gradients(W_aa, W_ax, b_a, params, x, targets):
    """Each copy's gradient, by a step-by-step backward pass through the untied network."""
    a, y = untied_forward(W_aa, W_ax, b_a, params, x)
    _, dy = squared_error(y, targets, kind="sum")
    T = x.shape[0]
    g_aa, g_ax, g_b = np.zeros_like(W_aa), np.zeros_like(W_ax), np.zeros_like(b_a)
    carry = np.zeros_like(a[0])
    for t in range(T - 1, -1, -1):
        da = dy[t] @ params.W_y + carry
        dz = da * (1 - a[t + 1] ** 2)
        g_aa[t] = dz.T @ a[t]  # copy t's own gradient
        g_ax[t] = dz.T @ x[t]
        g_b[t] = dz.sum(axis=0)
        carry = dz @ W_aa[t]
    return g_aa, g_ax, g_b


def run(*, T: int, n: int, rho: float, seed: int) -> UnrollingResult:
    rng = np.random.default_rng(seed)
    params = rnn_params(n=n, n_x=3, n_y=2, rng=rng, recurrent=scaled_orthogonal(n, rho, rng))
    x = rng.standard_normal((T, 4, 3))
    targets = rng.standard_normal((T, 4, 2))
    trace = rnn.forward(params, x)
    _, dy = squared_error(trace.y, targets, kind="sum")
    tied = rnn.backward(params, trace, dy).params

    copies = [np.repeat(w[None], T, axis=0) for w in (params.W_aa, params.W_ax, params.b_a)]
    g_aa, g_ax, g_b = untied_gradients(*copies, params, x, targets)
    tied_minus_sum = max(
        float(np.max(np.abs(tied.W_aa - g_aa.sum(axis=0)))),
        float(np.max(np.abs(tied.W_ax - g_ax.sum(axis=0)))),
        float(np.max(np.abs(tied.b_a - g_b.sum(axis=0)))),
    )

    def loss_of_copy(w: np.ndarray, t: int = T // 2) -> float:
        W_aa = copies[0].copy()
        W_aa[t] = w
        return squared_error(untied_forward(W_aa, copies[1], copies[2], params, x)[1], targets)[0]

    check = relative_error(g_aa[T // 2], numerical_gradient(loss_of_copy, params.W_aa))
    return UnrollingResult(
        steps=np.arange(1, T + 1),
        copy_norms=np.linalg.norm(g_aa.reshape(T, -1), axis=1),
        tied_minus_sum=tied_minus_sum,
        copy_check_error=check,
    )


EXPERIMENT = Experiment(
    name="unrolling",
    title="Unrolling: one copy of the network per time step",
    claim=(
        "Unrolled, each time step is a copy of the network with the same weights; the gradient of a "
        "shared weight equals the sum of the gradients of its copies."
    ),
    params=(
        length_param(20, 2, 40, "Sequence length: the number of copies."),
        hidden_param(8, 2, 16),
        Param("rho", 0.9, 0.5, 1.5, "Spectral radius of the recurrent matrix.", label="ρ"),
        seed_param(2),
    ),
    runner=run,
)

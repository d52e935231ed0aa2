"""Vanilla (tanh), linear and residual RNNs: batched forward pass and exact BPTT.

Shapes: inputs x are (T, B, n_x), states a are (T+1, B, n) with a[0] the initial state, outputs y
are (T, B, n_y). Batches are rows, so a_t = f(a_{t−1} W_aaᵀ + x_t W_axᵀ + b_a) and y_t = a_t W_yᵀ + b_y.
Only the recurrence loops over time; every product that does not depend on the previous step is one
matmul over all T·B rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .params import ParamArrays

Cell = Literal["tanh", "linear", "residual"]
CELLS: tuple[Cell, ...] = ("tanh", "linear", "residual")


@dataclass(frozen=True)
class RNNParams(ParamArrays):
    """Weights of an RNN, or (same shapes) the gradient of a loss with respect to them."""

    W_aa: np.ndarray  # (n, n) recurrent weights
    W_ax: np.ndarray  # (n, n_x) input weights
    b_a: np.ndarray  # (n,)
    W_y: np.ndarray  # (n_y, n) output weights
    b_y: np.ndarray  # (n_y,)


@dataclass(frozen=True)
class RNNTrace:
    """What the forward pass keeps for the backward pass."""

    cell: Cell
    x: np.ndarray  # (T, B, n_x)
    a: np.ndarray  # (T+1, B, n), a[0] is the initial state
    h: np.ndarray | None  # (T, B, n) tanh(z_t) of the residual cell; None otherwise
    y: np.ndarray  # (T, B, n_y)


@dataclass(frozen=True)
class RNNGradients:
    """Exact BPTT gradients: every parameter, every state dL/da_t (t = 0..T) and every input dL/dx_t."""

    params: RNNParams
    da: np.ndarray  # (T+1, B, n)
    dx: np.ndarray  # (T, B, n_x)


def forward(
    params: RNNParams, x: np.ndarray, a0: np.ndarray | None = None, *, cell: Cell = "tanh"
) -> RNNTrace:
    """Run the RNN over a batch of sequences and keep every state."""
    if cell not in CELLS:
        raise ValueError(f"unknown cell {cell!r}; use one of {CELLS}")
    T, B, n_x = x.shape
    n = params.W_aa.shape[0]
    a = np.empty((T + 1, B, n), dtype=x.dtype)
    a[0] = 0.0 if a0 is None else a0
    # z_t starts as W_ax x_t + b_a for every step at once, written where a_t will be: no temporary
    # array to allocate (on this machine fresh pages cost more than the arithmetic).
    z = a[1:]
    np.matmul(x.reshape(T * B, n_x), params.W_ax.T, out=z.reshape(T * B, n))
    z += params.b_a
    W_aa_T = params.W_aa.T.copy()  # C-contiguous, for the per-step matmul
    recurrent = np.empty((B, n), dtype=x.dtype)
    h = None
    if cell == "tanh":
        for t in range(T):
            np.matmul(a[t], W_aa_T, out=recurrent)
            z[t] += recurrent  # z_t = W_aa a_{t−1} + W_ax x_t + b_a
            np.tanh(z[t], out=z[t])  # a_t = tanh(z_t)
    elif cell == "linear":
        for t in range(T):
            np.matmul(a[t], W_aa_T, out=recurrent)
            z[t] += recurrent  # a_t = z_t
    else:
        h = np.empty((T, B, n), dtype=x.dtype)
        for t in range(T):
            np.matmul(a[t], W_aa_T, out=recurrent)
            recurrent += z[t]
            np.tanh(recurrent, out=h[t])
            z[t] = a[t]
            z[t] += h[t]  # a_t = a_{t−1} + tanh(z_t)
    y = (a[1:].reshape(T * B, n) @ params.W_y.T).reshape(T, B, -1)
    y += params.b_y  # y_t = W_y a_t + b_y
    return RNNTrace(cell=cell, x=x, a=a, h=h, y=y)


def activation_derivative(trace: RNNTrace) -> np.ndarray:
    """∂f/∂z_t for every step at once, (T, B, n): 1 − tanh² or 1."""
    if trace.cell == "linear":
        return np.ones_like(trace.a[1:])
    # Explicit ufunc calls, not `1 - h**2`: numpy's temporary elision inspects the C stack on large
    # arrays, which costs milliseconds on some systems.
    deriv = np.square(trace.a[1:] if trace.cell == "tanh" else trace.h)
    return np.subtract(1.0, deriv, out=deriv)


def backward(
    params: RNNParams, trace: RNNTrace, dy: np.ndarray, *, stop_every: int | None = None
) -> RNNGradients:
    """Exact BPTT from dL/dy back to every parameter, state and input.

    ``stop_every=k`` is chunked truncated BPTT: the sequence is cut into chunks of k steps and the
    gradient is not carried from a chunk's first step into the previous chunk. ``None`` is full BPTT.
    The initial state a_0 belongs to the first chunk, so its gradient is never cut.
    """
    T, B, n = trace.a.shape[0] - 1, trace.a.shape[1], trace.a.shape[2]
    if stop_every is not None and stop_every < 1:
        raise ValueError("stop_every must be at least 1")
    da = np.empty_like(trace.a)
    # ∂L_t/∂a_t = W_yᵀ (y_t − target_t), written straight into da
    np.matmul(dy.reshape(T * B, -1), params.W_y, out=da[1:].reshape(T * B, n))
    dz = activation_derivative(trace)  # f'(z_t), multiplied in place by dL/da_t below
    carry = np.zeros((B, n), dtype=trace.a.dtype)
    residual = trace.cell == "residual"
    for t in range(T, 0, -1):
        da[t] += carry  # dL/da_t = ∂L_t/∂a_t + (∂a_{t+1}/∂a_t)ᵀ dL/da_{t+1}
        dz[t - 1] *= da[t]  # dL/dz_t = f'(z_t) ⊙ dL/da_t
        np.matmul(dz[t - 1], params.W_aa, out=carry)  # W_aaᵀ dL/dz_t, the recurrent Jacobian
        if residual:
            carry += da[t]  # the identity path of a_t = a_{t−1} + tanh(z_t)
        if stop_every is not None and t > 1 and (t - 1) % stop_every == 0:
            carry[:] = 0.0  # chunk boundary: no gradient into the previous chunk
    da[0] = carry
    grads = parameter_gradients(params, trace, dy, dz)
    dx = (dz.reshape(T * B, n) @ params.W_ax).reshape(trace.x.shape)  # dL/dx_t = W_axᵀ dL/dz_t
    return RNNGradients(params=grads, da=da, dx=dx)


def parameter_gradients(params: RNNParams, trace: RNNTrace, dy: np.ndarray, dz: np.ndarray) -> RNNParams:
    """Sum each weight's per-step gradients with one matmul over all T·B rows."""
    T, B, n = dz.shape
    dz_rows = dz.reshape(T * B, n)
    dy_rows = dy.reshape(T * B, -1)
    return RNNParams(
        W_aa=dz_rows.T @ trace.a[:-1].reshape(T * B, n),  # Σ_t dL/dz_t a_{t−1}ᵀ
        W_ax=dz_rows.T @ trace.x.reshape(T * B, -1),  # Σ_t dL/dz_t x_tᵀ
        b_a=dz_rows.sum(axis=0),  # Σ_t dL/dz_t
        W_y=dy_rows.T @ trace.a[1:].reshape(T * B, n),  # Σ_t dL/dy_t a_tᵀ
        b_y=dy_rows.sum(axis=0),  # Σ_t dL/dy_t
    )


def state_gradient_norms(da: np.ndarray) -> np.ndarray:
    """‖dL/da_t‖ for t = 0..T, over the whole batch: the quantity the plots follow back in time."""
    return np.sqrt(np.einsum("tbn,tbn->t", da, da))

"""Pascanu, Mikolov & Bengio (2013), Fig. 6: the one-unit RNN whose loss surface has a cliff.

x_t = w·σ(x_{t−1}) + b for t = 1..T from x_0, loss L = (σ(x_T) − target)². Everything is vectorised
over arrays of (w, b), so a whole grid of the loss surface is one forward and one backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lstm import sigmoid


@dataclass(frozen=True)
class CliffPoint:
    loss: np.ndarray
    dw: np.ndarray
    db: np.ndarray


def loss_and_gradient(
    w: np.ndarray, b: np.ndarray, *, steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> CliffPoint:
    """L(w, b) and its exact gradient by BPTT, elementwise over broadcast arrays of w and b."""
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    shape = w.shape
    w, b = w.reshape(-1), b.reshape(-1)  # flat, so every x[t] is an array even for a single point
    # Whole-grid arrays are updated with explicit ufunc calls and in-place operators throughout:
    # expressions on large temporaries trigger numpy's slow temporary-elision stack check.
    x = np.empty((steps + 1, *w.shape))
    x[0] = x0
    sig = np.empty((steps + 1, *w.shape))  # σ(x_t), kept for the backward pass
    for t in range(steps):
        sig[t] = sigmoid(x[t])
        np.multiply(w, sig[t], out=x[t + 1])
        x[t + 1] += b  # x_t = w σ(x_{t−1}) + b
    s_T = sigmoid(x[-1])
    error = s_T - target
    loss = np.square(error)  # L = (σ(x_T) − target)²
    dx = 2.0 * error
    dx *= s_T
    dx *= 1.0 - s_T  # dL/dx_T = 2(σ − target) σ (1 − σ)
    dw = np.zeros_like(w)
    db = np.zeros_like(w)
    slope = np.empty_like(w)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps, 0, -1):
            s = sig[t - 1]
            dw += np.multiply(dx, s, out=slope)  # ∂x_t/∂w = σ(x_{t−1})
            db += dx  # ∂x_t/∂b = 1
            np.subtract(1.0, s, out=slope)
            slope *= s
            slope *= w
            dx *= slope  # ∂x_t/∂x_{t−1} = w σ(x_{t−1}) (1 − σ(x_{t−1}))
    return CliffPoint(loss=loss.reshape(shape), dw=dw.reshape(shape), db=db.reshape(shape))

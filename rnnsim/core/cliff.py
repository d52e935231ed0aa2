"""Pascanu, Mikolov & Bengio (2013), Fig. 6: the one-unit RNN whose loss surface has a cliff.

x_t = w·σ(x_{t−1}) + b for t = 1..T from x_0, loss L = (σ(x_T) − target)². The array functions are
vectorised over (w, b), so a whole grid of the loss surface is one forward and one backward pass; SGD,
one point at a time, has the same recurrence in Python floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CliffPoint:
    loss: np.ndarray
    dw: np.ndarray
    db: np.ndarray


def sigmoid_states(w: np.ndarray, b: np.ndarray, steps: int, x0: float) -> np.ndarray:
    """σ(x_t) for t = 0..T, (T+1, N), over flat arrays of w and b: the only state BPTT needs.

    With h_t = tanh(x_t/2), σ(x_t) = ½(1 + h_t) and the recurrence is x_t/2 = (w/4)(1 + h_{t−1}) + b/2:
    one multiply, one add and one tanh a step. The SGD paths run it on two points, where every numpy
    call is overhead, and the loss surface on 48,000.
    """
    slope = 0.25 * w
    offset = slope + 0.5 * b
    h = np.empty((steps + 1, *w.shape))
    h[0] = np.tanh(0.5 * x0)
    for t in range(1, steps + 1):
        np.multiply(h[t - 1], slope, out=h[t])
        h[t] += offset  # x_t/2 = (w/4) h_{t−1} + w/4 + b/2
        np.tanh(h[t], out=h[t])
    h += 1.0
    h *= 0.5  # σ(x_t) = ½(1 + tanh(x_t/2))
    return h


def flat_pair(w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    return w.reshape(-1), b.reshape(-1), w.shape  # flat, so every step is an array even for one point


def loss(
    w: np.ndarray, b: np.ndarray, *, steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> np.ndarray:
    """L(w, b) alone, elementwise over broadcast arrays of w and b: what bisecting the wall needs."""
    w, b, shape = flat_pair(w, b)
    return np.square(sigmoid_states(w, b, steps, x0)[-1] - target).reshape(shape)


def loss_and_gradient(
    w: np.ndarray, b: np.ndarray, *, steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> CliffPoint:
    """L(w, b) and its exact gradient by BPTT, elementwise over broadcast arrays of w and b.

    Only the forward recurrence loops over time. Going back, dL/dx_{t−1} = dL/dx_t · w σ′(x_{t−1}), so
    every step's dL/dx_t is one running product, and the sums over t for ∂L/∂w and ∂L/∂b are two reductions.
    """
    w, b, shape = flat_pair(w, b)
    sig = sigmoid_states(w, b, steps, x0)
    s_T = sig[-1]
    error = s_T - target
    loss = np.square(error)  # L = (σ(x_T) − target)²
    # Whole-grid arrays are updated with explicit ufunc calls and in-place operators throughout:
    # expressions on large temporaries trigger numpy's slow temporary-elision stack check.
    chain = np.empty((steps, *w.shape))  # chain[k] = dL/dx_{T−k}
    earlier = sig[-2::-1]  # σ(x_{t−1}) for t = T..1
    chain[0] = 2.0 * error
    chain[0] *= s_T
    chain[0] *= 1.0 - s_T  # dL/dx_T = 2(σ − target) σ (1 − σ)
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(1.0, earlier[:-1], out=chain[1:])
        chain[1:] *= earlier[:-1]
        chain[1:] *= w  # ∂x_t/∂x_{t−1} = w σ(x_{t−1}) (1 − σ(x_{t−1})), for t = T..2
        np.multiply.accumulate(chain, axis=0, out=chain)  # dL/dx_{t−1} = dL/dx_t · ∂x_t/∂x_{t−1}
        db = chain.sum(axis=0)  # ∂x_t/∂b = 1
        chain *= earlier
        dw = chain.sum(axis=0)  # ∂x_t/∂w = σ(x_{t−1})
    return CliffPoint(loss=loss.reshape(shape), dw=dw.reshape(shape), db=db.reshape(shape))


def point_loss_and_gradient(
    w: float, b: float, *, steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> tuple[float, float, float]:
    """(L, ∂L/∂w, ∂L/∂b) at one point, in Python floats, by the same recurrence and running product.

    SGD asks for one point at a time, and on arrays of one or two points every numpy call is all
    overhead: this loop is several times faster there. Grids go through ``loss_and_gradient``.
    """
    slope, offset = 0.25 * w, 0.25 * w + 0.5 * b
    h = math.tanh(0.5 * x0)
    sig = [0.5 * (1.0 + h)]
    for _ in range(steps):
        h = math.tanh(slope * h + offset)  # x_t/2 = (w/4) h_{t−1} + w/4 + b/2, h_t = tanh(x_t/2)
        sig.append(0.5 * (1.0 + h))  # σ(x_t)
    error = sig[-1] - target
    chain = 2.0 * error * sig[-1] * (1.0 - sig[-1])  # dL/dx_T
    dw = db = 0.0
    for earlier in reversed(sig[:-1]):  # σ(x_{t−1}) for t = T..1
        db += chain  # ∂x_t/∂b = 1
        dw += chain * earlier  # ∂x_t/∂w = σ(x_{t−1})
        chain *= w * earlier * (1.0 - earlier)  # dL/dx_{t−1}
    return error * error, dw, db

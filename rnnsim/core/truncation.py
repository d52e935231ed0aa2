"""Truncated BPTT with a k-step window (Williams & Peng, 1990).

Each loss term L_t sends its gradient back through at most k steps: t, t−1, …, t−k+1. With k = T
this is full BPTT. (Chunked truncation, the other common form, is ``rnn.backward(stop_every=k)``.)
"""

from __future__ import annotations

import numpy as np

from .rnn import RNNParams, RNNTrace, activation_derivative, parameter_gradients


def window_backward(params: RNNParams, trace: RNNTrace, dy: np.ndarray, *, k: int) -> RNNParams:
    """Parameter gradients when each loss term backpropagates through its last k steps only."""
    if k < 1:
        raise ValueError("the window k must be at least 1")
    T, B, n = trace.a.shape[0] - 1, trace.a.shape[1], trace.a.shape[2]
    deriv = activation_derivative(trace)
    direct = (dy.reshape(T * B, -1) @ params.W_y).reshape(T, B, n)  # ∂L_t/∂a_t
    dz = np.zeros((T, B, n), dtype=trace.a.dtype)
    residual = trace.cell == "residual"
    for end in range(T, 0, -1):
        if not dy[end - 1].any():
            continue  # no loss at this step: nothing to send back
        grad = direct[end - 1].copy()
        for t in range(end, max(end - k, 0), -1):
            dz_t = grad * deriv[t - 1]
            dz[t - 1] += dz_t
            grad = dz_t @ params.W_aa + (grad if residual else 0.0)
    return parameter_gradients(params, trace, dy, dz)

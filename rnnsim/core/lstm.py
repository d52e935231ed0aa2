"""LSTM with input, forget, candidate and output gates; batched forward pass and exact BPTT.

z_t = W_x x_t + W_h h_{t−1} + b, split into four blocks of n columns (i, f, g, o):
i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o);  c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t);
y_t = W_y h_t + b_y. The forget-gate bias b_f is the f block of b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import ParamArrays


@dataclass(frozen=True)
class LSTMParams(ParamArrays):
    """Weights of an LSTM, or the gradient of a loss with respect to them."""

    W_x: np.ndarray  # (4n, n_x), gate blocks in the order i, f, g, o
    W_h: np.ndarray  # (4n, n)
    b: np.ndarray  # (4n,)
    W_y: np.ndarray  # (n_y, n)
    b_y: np.ndarray  # (n_y,)


@dataclass(frozen=True)
class LSTMTrace:
    x: np.ndarray  # (T, B, n_x)
    h: np.ndarray  # (T+1, B, n), h[0] is the initial hidden state
    c: np.ndarray  # (T+1, B, n), c[0] is the initial cell state
    gates: np.ndarray  # (T, B, 4n): i, f, g, o after their nonlinearities
    tanh_c: np.ndarray  # (T, B, n): tanh(c_t)
    y: np.ndarray  # (T, B, n_y)


@dataclass(frozen=True)
class LSTMGradients:
    params: LSTMParams
    dh: np.ndarray  # (T+1, B, n): dL/dh_t
    dc: np.ndarray  # (T+1, B, n): dL/dc_t
    dx: np.ndarray  # (T, B, n_x)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = ½(1 + tanh(z/2)): exact and free of overflow for any z."""
    out = np.multiply(z, 0.5, out=np.empty(np.shape(z)))
    np.tanh(out, out=out)
    out += 1.0  # in place: `1 + tanh(…)` on a large temporary triggers numpy's slow elision check
    out *= 0.5
    return out


def forward(
    params: LSTMParams, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> LSTMTrace:
    T, B, n_x = x.shape
    n = params.W_h.shape[1]
    h = np.empty((T + 1, B, n), dtype=x.dtype)
    c = np.empty((T + 1, B, n), dtype=x.dtype)
    h[0] = 0.0 if h0 is None else h0
    c[0] = 0.0 if c0 is None else c0
    gates = (x.reshape(T * B, n_x) @ params.W_x.T).reshape(T, B, 4 * n)  # W_x x_t for every step
    gates += params.b
    W_h_T = params.W_h.T.copy()  # C-contiguous, for the per-step matmul
    for t in range(T):
        z = gates[t]
        z += h[t] @ W_h_T  # z_t = W_x x_t + W_h h_{t−1} + b
        z[:, : 2 * n] = sigmoid(z[:, : 2 * n])  # i, f
        np.tanh(z[:, 2 * n : 3 * n], out=z[:, 2 * n : 3 * n])  # g
        z[:, 3 * n :] = sigmoid(z[:, 3 * n :])  # o
        i, f, g, o = z[:, :n], z[:, n : 2 * n], z[:, 2 * n : 3 * n], z[:, 3 * n :]
        c[t + 1] = f * c[t] + i * g  # c_t = f ⊙ c_{t−1} + i ⊙ g
        h[t + 1] = o * np.tanh(c[t + 1])  # h_t = o ⊙ tanh(c_t)
    tanh_c = np.tanh(c[1:])
    y = (h[1:].reshape(T * B, n) @ params.W_y.T).reshape(T, B, -1)
    y += params.b_y
    return LSTMTrace(x=x, h=h, c=c, gates=gates, tanh_c=tanh_c, y=y)


def backward(params: LSTMParams, trace: LSTMTrace, dy: np.ndarray) -> LSTMGradients:
    """Exact BPTT through both the hidden path h and the cell path c."""
    T, B, n = trace.h.shape[0] - 1, trace.h.shape[1], trace.h.shape[2]
    i, f, g, o = (trace.gates[..., k * n : (k + 1) * n] for k in range(4))
    dh = np.empty_like(trace.h)
    dh[1:] = (dy.reshape(T * B, -1) @ params.W_y).reshape(T, B, n)  # ∂L_t/∂h_t
    dc = np.empty_like(trace.c)
    dz = np.empty((T, B, 4 * n), dtype=trace.h.dtype)
    carry_h = np.zeros((B, n), dtype=trace.h.dtype)
    carry_c = np.zeros((B, n), dtype=trace.h.dtype)
    for t in range(T, 0, -1):
        s = t - 1
        dh[t] += carry_h
        dc[t] = carry_c + dh[t] * o[s] * (1.0 - trace.tanh_c[s] ** 2)  # through h_t = o ⊙ tanh(c_t)
        dz[s, :, :n] = dc[t] * g[s] * i[s] * (1.0 - i[s])  # dL/dz_i
        dz[s, :, n : 2 * n] = dc[t] * trace.c[s] * f[s] * (1.0 - f[s])  # dL/dz_f
        dz[s, :, 2 * n : 3 * n] = dc[t] * i[s] * (1.0 - g[s] ** 2)  # dL/dz_g
        dz[s, :, 3 * n :] = dh[t] * trace.tanh_c[s] * o[s] * (1.0 - o[s])  # dL/dz_o
        carry_h = dz[s] @ params.W_h  # W_hᵀ dL/dz_t
        carry_c = dc[t] * f[s]  # the cell path: ∂c_t/∂c_{t−1} = f_t
    dh[0] = carry_h
    dc[0] = carry_c
    dz_rows = dz.reshape(T * B, 4 * n)
    dy_rows = dy.reshape(T * B, -1)
    grads = LSTMParams(
        W_x=dz_rows.T @ trace.x.reshape(T * B, -1),
        W_h=dz_rows.T @ trace.h[:-1].reshape(T * B, n),
        b=dz_rows.sum(axis=0),
        W_y=dy_rows.T @ trace.h[1:].reshape(T * B, n),
        b_y=dy_rows.sum(axis=0),
    )
    dx = (dz_rows @ params.W_x).reshape(trace.x.shape)
    return LSTMGradients(params=grads, dh=dh, dc=dc, dx=dx)

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


def gate_affine(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-column scale and shift: ½ for the sigmoid gates i, f, o (σ(z) = ½ + ½ tanh(z/2)), 1 for g."""
    scale = np.full(4 * n, 0.5)
    scale[2 * n : 3 * n] = 1.0
    return scale, 1.0 - scale


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(z) = ½(1 + tanh(z/2)): exact and free of overflow for any z. Written into ``out`` if given."""
    out = np.multiply(z, 0.5, out=np.empty(np.shape(z)) if out is None else out)
    np.tanh(out, out=out)
    out += 1.0  # in place: `1 + tanh(…)` on a large temporary triggers numpy's slow elision check
    out *= 0.5
    return out


def forward(
    params: LSTMParams, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> LSTMTrace:
    """Run the LSTM over a batch of sequences, keeping every state and gate.

    One tanh serves all four gates: the sigmoid gates' weights are halved once, so the loop takes
    tanh(z/2) over the whole (B, 4n) block and turns it into σ(z) = ½(1 + tanh(z/2)) with one scale
    and one shift (`gate_affine`). Fewer, larger numpy calls per step are most of the engine's speed.
    """
    T, B, n_x = x.shape
    n = params.W_h.shape[1]
    h = np.empty((T + 1, B, n), dtype=x.dtype)
    c = np.empty((T + 1, B, n), dtype=x.dtype)
    h[0] = 0.0 if h0 is None else h0
    c[0] = 0.0 if c0 is None else c0
    scale, offset = gate_affine(n)
    gates = (x.reshape(T * B, n_x) @ (params.W_x.T * scale)).reshape(T, B, 4 * n)
    gates += params.b * scale
    W_h_T = params.W_h.T * scale
    tanh_c = np.empty((T, B, n), dtype=x.dtype)
    step = np.empty((B, 4 * n), dtype=x.dtype)
    ig = np.empty((B, n), dtype=x.dtype)
    for t in range(T):
        z = gates[t]
        np.matmul(h[t], W_h_T, out=step)
        z += step  # z_t = W_x x_t + W_h h_{t−1} + b, its sigmoid blocks halved
        np.tanh(z, out=z)
        z *= scale
        z += offset  # i, f, o = σ(z), g = tanh(z)
        np.multiply(z[:, n : 2 * n], c[t], out=c[t + 1])
        np.multiply(z[:, :n], z[:, 2 * n : 3 * n], out=ig)
        c[t + 1] += ig  # c_t = f ⊙ c_{t−1} + i ⊙ g
        np.tanh(c[t + 1], out=tanh_c[t])
        np.multiply(z[:, 3 * n :], tanh_c[t], out=h[t + 1])  # h_t = o ⊙ tanh(c_t)
    y = (h[1:].reshape(T * B, n) @ params.W_y.T).reshape(T, B, -1)
    y += params.b_y
    return LSTMTrace(x=x, h=h, c=c, gates=gates, tanh_c=tanh_c, y=y)


# Steps whose dL/dz is held at once: a (10·B, 4n) block stays in cache, where a (T, B, 4n) temporary
# cost its fresh pages on every pass (6.5 MB at T=100, B=32, n=64) and a trip through memory per factor.
CHUNK_STEPS = 10


def backward(params: LSTMParams, trace: LSTMTrace, dy: np.ndarray) -> LSTMGradients:
    """Exact BPTT through both the hidden path h and the cell path c.

    The steps go back in chunks of CHUNK_STEPS. For a chunk, every factor of dL/dz_t that does not
    depend on the gradient carried back from step t+1 is computed for all its steps at once; the loop
    then only multiplies in dL/dc_t or dL/dh_t and does the recurrent matmul; and the chunk's weight
    gradients and dL/dx are one matmul each over its rows.
    """
    T, B, n = trace.h.shape[0] - 1, trace.h.shape[1], trace.h.shape[2]
    n_x = trace.x.shape[2]
    gates = trace.gates
    sigmoid_gate = np.ones(4 * n)
    sigmoid_gate[2 * n : 3 * n] = 0.0
    not_sigmoid = 1.0 - sigmoid_gate
    dh = np.empty_like(trace.h)
    np.matmul(dy.reshape(T * B, -1), params.W_y, out=dh[1:].reshape(T * B, n))  # ∂L_t/∂h_t
    dc = np.empty_like(trace.c)
    np.square(trace.tanh_c, out=dc[1:])
    np.subtract(1.0, dc[1:], out=dc[1:])
    dc[1:] *= gates[..., 3 * n :]  # ∂h_t/∂c_t = o ⊙ (1 − tanh² c_t), multiplied in place by dL/dh_t below
    carry_h = np.zeros((B, n), dtype=trace.h.dtype)
    carry_c = np.zeros((B, n), dtype=trace.h.dtype)
    W_x, W_h, b = np.zeros_like(params.W_x), np.zeros_like(params.W_h), np.zeros_like(params.b)
    dx = np.empty_like(trace.x)
    block = np.empty((min(CHUNK_STEPS, T), B, 4 * n), dtype=trace.h.dtype)
    for end in range(T, 0, -CHUNK_STEPS):
        first = max(end - CHUNK_STEPS, 0)  # this chunk is steps first+1 … end
        chunk = gates[first:end]
        dz = block[: end - first]
        np.subtract(sigmoid_gate, chunk, out=dz)
        dz *= chunk
        dz += not_sigmoid  # σ(1−σ) for i, f, o and 1 − g² for g
        dz[..., :n] *= chunk[..., 2 * n : 3 * n]  # ∂c_t/∂z_i = g …
        dz[..., n : 2 * n] *= trace.c[first:end]  # ∂c_t/∂z_f = c_{t−1} …
        dz[..., 2 * n : 3 * n] *= chunk[..., :n]  # ∂c_t/∂z_g = i …
        dz[..., 3 * n :] *= trace.tanh_c[first:end]  # ∂h_t/∂z_o = tanh(c_t) …
        for t in range(end, first, -1):
            z = dz[t - 1 - first]
            dh[t] += carry_h  # dL/dh_t
            dc[t] *= dh[t]
            dc[t] += carry_c  # dL/dc_t, through h_t = o ⊙ tanh(c_t) and from c_{t+1}
            z[:, :n] *= dc[t]
            z[:, n : 2 * n] *= dc[t]
            z[:, 2 * n : 3 * n] *= dc[t]
            z[:, 3 * n :] *= dh[t]
            np.matmul(z, params.W_h, out=carry_h)  # W_hᵀ dL/dz_t
            np.multiply(dc[t], gates[t - 1, :, n : 2 * n], out=carry_c)  # the cell path: ∂c_t/∂c_{t−1} = f_t
        rows = dz.reshape(-1, 4 * n)
        W_x += rows.T @ trace.x[first:end].reshape(-1, n_x)  # Σ_t dL/dz_t x_tᵀ
        W_h += rows.T @ trace.h[first:end].reshape(-1, n)  # Σ_t dL/dz_t h_{t−1}ᵀ
        b += rows.sum(axis=0)
        np.matmul(rows, params.W_x, out=dx[first:end].reshape(-1, n_x))  # dL/dx_t = W_xᵀ dL/dz_t
    dh[0] = carry_h
    dc[0] = carry_c
    dy_rows = dy.reshape(T * B, -1)
    grads = LSTMParams(
        W_x=W_x,
        W_h=W_h,
        b=b,
        W_y=dy_rows.T @ trace.h[1:].reshape(T * B, n),
        b_y=dy_rows.sum(axis=0),
    )
    return LSTMGradients(params=grads, dh=dh, dc=dc, dx=dx)

"""Weight initialisations that set the size of the recurrent matrix exactly."""

from __future__ import annotations

import numpy as np

from .lstm import LSTMParams
from .rnn import RNNParams


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix, uniformly distributed (QR of a Gaussian with the sign fix)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def scaled_orthogonal(n: int, rho: float, rng: np.random.Generator) -> np.ndarray:
    """ρ·Q: every eigenvalue and every singular value has modulus ρ, so the spectral radius is exactly ρ."""
    return rho * orthogonal(n, rng)


def gaussian_with_top_singular_value(
    shape: tuple[int, int], s: float, rng: np.random.Generator
) -> np.ndarray:
    """A Gaussian matrix rescaled so that its largest singular value is exactly s."""
    w = rng.standard_normal(shape)
    return w * (s / np.linalg.norm(w, 2))


def rnn_params(
    *,
    n: int,
    n_x: int,
    n_y: int,
    rng: np.random.Generator,
    recurrent: np.ndarray | None = None,
    input_scale: float = 1.0,
    output_scale: float = 1.0,
) -> RNNParams:
    """RNN weights: the given recurrent matrix (default orthogonal), Gaussian input and output weights
    scaled by 1/√fan-in, zero biases."""
    return RNNParams(
        W_aa=orthogonal(n, rng) if recurrent is None else recurrent,
        W_ax=rng.standard_normal((n, n_x)) * (input_scale / np.sqrt(n_x)),
        b_a=np.zeros(n),
        W_y=rng.standard_normal((n_y, n)) * (output_scale / np.sqrt(n)),
        b_y=np.zeros(n_y),
    )


def lstm_params(
    *,
    n: int,
    n_x: int,
    n_y: int,
    rng: np.random.Generator,
    recurrent_scale: float = 1.0,
    forget_bias: float = 1.0,
) -> LSTMParams:
    """LSTM weights: W_h with largest singular value ``recurrent_scale``, forget-gate bias b_f."""
    b = np.zeros(4 * n)
    b[n : 2 * n] = forget_bias
    return LSTMParams(
        W_x=rng.standard_normal((4 * n, n_x)) / np.sqrt(n_x),
        W_h=gaussian_with_top_singular_value((4 * n, n), recurrent_scale, rng),
        b=b,
        W_y=rng.standard_normal((n_y, n)) / np.sqrt(n),
        b_y=np.zeros(n_y),
    )

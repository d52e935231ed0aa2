"""Central finite differences: the independent check every backward pass must agree with."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, *, eps: float = 1e-5) -> np.ndarray:
    """df/dx by (f(x + ε e_i) − f(x − ε e_i)) / 2ε for every element i; x is left unchanged."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + eps
        plus = f(x)
        flat_x[i] = original - eps
        minus = f(x)
        flat_x[i] = original
        flat_g[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, tiny): zero for equal arrays, 1 for unrelated ones."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / max(scale, 1e-300))

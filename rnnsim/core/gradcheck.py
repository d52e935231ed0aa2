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


def numerical_gradient_at_once(
    f_each: Callable[[np.ndarray], np.ndarray], x: np.ndarray, *, eps: float = 1e-5
) -> np.ndarray:
    """The same central differences, with every perturbed copy of x evaluated in one call.

    ``f_each`` takes a stack of copies, shape (2·x.size, *x.shape), and returns f of each: the first
    x.size copies have x_i + ε, the rest x_i − ε. A state's copies can run as one larger batch, which
    costs a fraction of 2·x.size separate passes.
    """
    flat = np.array(x, dtype=np.float64).reshape(-1)
    size, element = flat.size, np.arange(flat.size)
    copies = np.tile(flat, (2 * size, 1))
    copies[element, element] = flat + eps
    copies[size + element, element] = flat - eps
    values = f_each(copies.reshape(2 * size, *np.shape(x)))
    return ((values[:size] - values[size:]) / (2 * eps)).reshape(np.shape(x))


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, tiny): zero for equal arrays, 1 for unrelated ones."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / max(scale, 1e-300))

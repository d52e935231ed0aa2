"""Synthetic sequence tasks whose answer depends on inputs far back in time."""

from __future__ import annotations

import numpy as np


def adding_problem(T: int, B: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Hochreiter & Schmidhuber's adding problem: sum the two marked values of a sequence.

    Inputs (T, B, 2): channel 0 is a value in [0, 1), channel 1 marks two positions, one in each half.
    Targets (T, B, 1): only the last step matters (use the "last" loss); it holds the sum.
    """
    x = np.zeros((T, B, 2))
    x[:, :, 0] = rng.random((T, B))
    half = max(T // 2, 1)
    first = rng.integers(0, half, size=B)
    second = rng.integers(half, T, size=B)
    batch = np.arange(B)
    x[first, batch, 1] = 1.0
    x[second, batch, 1] = 1.0
    targets = np.zeros((T, B, 1))
    targets[-1, :, 0] = x[first, batch, 0] + x[second, batch, 0]
    return x, targets

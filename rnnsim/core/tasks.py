"""Synthetic sequence tasks whose answer depends on inputs far back in time."""

from __future__ import annotations

import numpy as np


def adding_problems(T: int, B: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` batches of Hochreiter & Schmidhuber's adding problem, drawn at once for a training run.

    Inputs (count, T, B, 2): channel 0 is a value in [0, 1), channel 1 marks two positions, one in
    each half. Targets (count, T, B, 1): only the last step matters (use the "last" loss); it holds
    the sum of the two marked values.
    """
    x = np.zeros((count, T, B, 2))
    x[..., 0] = rng.random((count, T, B))
    half = max(T // 2, 1)
    first = rng.integers(0, half, size=(count, B))
    second = rng.integers(half, T, size=(count, B))
    batch, sequence = np.arange(count)[:, None], np.arange(B)[None, :]
    x[batch, first, sequence, 1] = 1.0
    x[batch, second, sequence, 1] = 1.0
    targets = np.zeros((count, T, B, 1))
    targets[:, -1, :, 0] = x[batch, first, sequence, 0] + x[batch, second, sequence, 0]
    return x, targets


def adding_problem(T: int, B: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One batch: inputs (T, B, 2) and targets (T, B, 1)."""
    x, targets = adding_problems(T, B, 1, rng)
    return x[0], targets[0]

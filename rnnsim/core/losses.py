"""The two losses the experiments use, returning the loss and its gradient at the outputs."""

from __future__ import annotations

from typing import Literal

import numpy as np

LossKind = Literal["sum", "last"]


def squared_error(y: np.ndarray, targets: np.ndarray, *, kind: LossKind = "sum") -> tuple[float, np.ndarray]:
    """L = Σ_t Σ_b ½‖y_t − target_t‖² ("sum"), or the same at the last step only ("last").

    ``y`` and ``targets`` have shape (T, B, n_y). Returns (L, dL/dy) with dL/dy shaped like ``y``.
    """
    if kind == "sum":
        dy = y - targets  # dL/dy_t = y_t − target_t
    elif kind == "last":
        dy = np.zeros_like(y)
        dy[-1] = y[-1] - targets[-1]
    else:
        raise ValueError(f"unknown loss kind {kind!r}; use 'sum' or 'last'")
    return 0.5 * float(np.vdot(dy, dy)), dy

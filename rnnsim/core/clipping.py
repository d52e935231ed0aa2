"""Gradient clipping, the remedy for exploding gradients: it bounds the update, not the loss surface.

Both kinds act on the gradient of every parameter as one vector (``ParamArrays.flat()``), as Pascanu
et al.'s global norm does; an SGD step then updates all parameters with one vector operation.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

ClipKind = Literal["none", "norm", "value"]


def global_norm(vector: np.ndarray) -> float:
    """The L2 norm of every parameter's gradient together (inf or NaN if any entry is)."""
    return math.sqrt(float(np.dot(vector, vector)))


def clip_by_global_norm(grad: np.ndarray, threshold: float) -> np.ndarray:
    """Pascanu et al. (2013), Algorithm 1: g ← c·g/‖g‖ when ‖g‖ > c. The direction is kept."""
    norm = global_norm(grad)
    if not math.isfinite(norm) or norm <= threshold:
        return grad
    return grad * (threshold / norm)


def clip_by_value(grad: np.ndarray, threshold: float) -> np.ndarray:
    """Clip every component into [−c, c]. Cheap, but it changes the gradient's direction."""
    return np.clip(grad, -threshold, threshold)


def clip(grad: np.ndarray, kind: ClipKind, threshold: float) -> np.ndarray:
    if kind == "none":
        return grad
    if kind == "norm":
        return clip_by_global_norm(grad, threshold)
    if kind == "value":
        return clip_by_value(grad, threshold)
    raise ValueError(f"unknown clipping {kind!r}; use 'none', 'norm' or 'value'")

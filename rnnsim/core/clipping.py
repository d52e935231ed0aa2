"""Gradient clipping, the remedy for exploding gradients: it bounds the update, not the loss surface."""

from __future__ import annotations

from typing import Literal, TypeVar

import numpy as np

from .params import ParamArrays

P = TypeVar("P", bound=ParamArrays)
ClipKind = Literal["none", "norm", "value"]


def clip_by_global_norm(grads: P, threshold: float) -> P:
    """Pascanu et al. (2013), Algorithm 1: g ← c·g/‖g‖ when ‖g‖ > c. The direction is kept."""
    norm = grads.norm()
    if not np.isfinite(norm) or norm <= threshold:
        return grads
    scale = threshold / norm
    return grads.map(lambda g: g * scale)


def clip_by_value(grads: P, threshold: float) -> P:
    """Clip every component into [−c, c]. Cheap, but it changes the gradient's direction."""
    return grads.map(lambda g: np.clip(g, -threshold, threshold))


def clip(grads: P, kind: ClipKind, threshold: float) -> P:
    if kind == "none":
        return grads
    if kind == "norm":
        return clip_by_global_norm(grads, threshold)
    if kind == "value":
        return clip_by_value(grads, threshold)
    raise ValueError(f"unknown clipping {kind!r}; use 'none', 'norm' or 'value'")

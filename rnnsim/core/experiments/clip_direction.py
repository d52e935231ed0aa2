"""Which way a clipped gradient points: norm clipping keeps the direction, clipping each entry turns it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clipping import clip_by_global_norm, clip_by_value
from .exploding import cosine, first_gradient
from .spec import Experiment, Param, length_param, seed_param

FRACTIONS = np.logspace(-3, 0, 31)  # thresholds, as fractions of the largest entry (or of the norm)


@dataclass(frozen=True)
class DirectionResult:
    fractions: np.ndarray  # each threshold as a fraction of the gradient's largest entry (or norm)
    norm_cosine: np.ndarray  # cosine between the gradient and its norm-clipped version, per threshold
    value_cosine: np.ndarray  # … and its version with every entry clipped into [−c, c]
    clipped_share: np.ndarray  # the share of entries that value clipping changes, per threshold
    gradient_norm: float
    rho: float


def clipping_direction(*, rho: float, T: int, seed: int) -> DirectionResult:
    """Clip one exploding BPTT gradient both ways at thresholds from a thousandth of its scale up to it."""
    flat = first_gradient(rho=rho, T=T, seed=seed).flat()
    largest, norm = float(np.max(np.abs(flat))), float(np.linalg.norm(flat))
    norm_cosine, value_cosine, share = [], [], []
    for fraction in FRACTIONS:
        norm_cosine.append(cosine(flat, clip_by_global_norm(flat, fraction * norm)))
        value_cosine.append(cosine(flat, clip_by_value(flat, fraction * largest)))
        share.append(float(np.mean(np.abs(flat) > fraction * largest)))
    return DirectionResult(
        FRACTIONS, np.array(norm_cosine), np.array(value_cosine), np.array(share), norm, rho
    )


EXPERIMENT = Experiment(
    name="clipping-direction",
    title="Norm clipping keeps the direction; clipping each entry turns it",
    claim=(
        "Scaling the whole gradient down to norm $c$ keeps its direction at every threshold (cosine 1 "
        "with the unclipped gradient, to rounding); clipping each entry into $[-c, c]$ turns it whenever "
        "it clips some entries but not all, and the more it clips the further it turns."
    ),
    params=(
        Param("rho", 1.5, 1.0, 2.0, "Spectral radius of the recurrent matrix at the start.", label="ρ"),
        length_param(10, 5, 15, "Sequence length of the adding problem."),
        seed_param(6),
    ),
    runner=clipping_direction,
)

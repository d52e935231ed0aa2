"""Plain SGD on an RNN, recording what the clipping experiments plot, and surviving divergence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import rnn
from .clipping import ClipKind, clip
from .losses import LossKind, squared_error

Batch = tuple[np.ndarray, np.ndarray]
# A loss past this has diverged: it is far off every plot, and training on would only find the step
# where float64 overflows (about a hundred steps later from an exploding start, at the same cost each).
DIVERGED_LOSS = 1e60


@dataclass(frozen=True)
class TrainingConfig:
    steps: int
    learning_rate: float
    clipping: ClipKind = "none"
    threshold: float = 1.0
    cell: rnn.Cell = "tanh"
    loss: LossKind = "last"
    weight_decay: float = 0.0  # λ in θ ← θ − η(∇L + λθ)


@dataclass(frozen=True)
class TrainingRecord:
    """Per-step loss, gradient norm (before clipping) and update norm; NaN after a divergence."""

    loss: np.ndarray
    grad_norm: np.ndarray
    update_norm: np.ndarray
    diverged_at: int | None  # the step whose loss passed DIVERGED_LOSS or was not finite, or whose
    # gradient was not finite; None if training finished
    params: rnn.RNNParams  # the last finite parameters

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def train_sgd(
    params: rnn.RNNParams,
    sample: Callable[[np.random.Generator], Batch],
    config: TrainingConfig,
    rng: np.random.Generator,
) -> TrainingRecord:
    """Run ``config.steps`` SGD steps; stop and report, never raise, once the run diverges."""
    loss = np.full(config.steps, np.nan)
    grad_norm = np.full(config.steps, np.nan)
    update_norm = np.full(config.steps, np.nan)
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(config.steps):
            x, targets = sample(rng)
            trace = rnn.forward(params, x, cell=config.cell)
            loss[step], dy = squared_error(trace.y, targets, kind=config.loss)
            grads = rnn.backward(params, trace, dy).params
            grad_norm[step] = grads.norm()
            if not (loss[step] <= DIVERGED_LOSS and np.isfinite(grad_norm[step])):  # NaN fails the test
                diverged_at = step
                break
            direction = clip(grads, config.clipping, config.threshold)
            if config.weight_decay:
                direction = direction.combine(params, lambda g, w: g + config.weight_decay * w)  # ∇L + λθ
            update = direction.map(lambda g: -config.learning_rate * g)
            update_norm[step] = update.norm()
            stepped = params.combine(update, np.add)  # θ ← θ − η·clip(∇L)
            if not np.isfinite(stepped.norm()):
                diverged_at = step
                break
            params = stepped
    return TrainingRecord(loss, grad_norm, update_norm, diverged_at, params)

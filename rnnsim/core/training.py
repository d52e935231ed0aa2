"""Plain SGD on an RNN, recording what the clipping experiments plot, and surviving divergence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import rnn
from .clipping import ClipKind, clip, global_norm
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


def train_sgd(params: rnn.RNNParams, batches: Batch, config: TrainingConfig) -> TrainingRecord:
    """Run ``config.steps`` SGD steps, one per batch; stop and report, never raise, once the run diverges.

    ``batches`` are every step's inputs and targets, stacked: (steps, T, B, n_x) and (steps, T, B, n_y).
    The parameters live in two flat vectors, the current and the next, each seen as RNNParams through
    views: a step's clipping, decay and update are a few operations on one vector, not one per
    parameter, and a step that would leave finite numbers never overwrites the last finite parameters.
    """
    loss = np.full(config.steps, np.nan)
    grad_norm = np.full(config.steps, np.nan)
    update_norm = np.full(config.steps, np.nan)
    diverged_at = None
    start = params.flat()
    vectors = (start, np.empty_like(start))
    weights = tuple(params.views(vector) for vector in vectors)
    now = 0
    inputs, targets = batches
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(config.steps):
            trace = rnn.forward(weights[now], inputs[step], cell=config.cell)
            loss[step], dy = squared_error(trace.y, targets[step], kind=config.loss)
            grad = rnn.backward(weights[now], trace, dy).params.flat()
            grad_norm[step] = global_norm(grad)
            if not (loss[step] <= DIVERGED_LOSS and np.isfinite(grad_norm[step])):  # NaN fails the test
                diverged_at = step
                break
            direction = clip(grad, config.clipping, config.threshold)
            if config.weight_decay:
                direction = direction + config.weight_decay * vectors[now]  # ∇L + λθ
            update = np.multiply(direction, -config.learning_rate)
            update_norm[step] = global_norm(update)
            np.add(vectors[now], update, out=vectors[1 - now])  # θ ← θ − η·clip(∇L)
            if not np.isfinite(global_norm(vectors[1 - now])):
                diverged_at = step
                break
            now = 1 - now
    return TrainingRecord(loss, grad_norm, update_norm, diverged_at, weights[now])

"""Clipping and the SGD loop: bounded updates, and divergence reported instead of raised."""

from __future__ import annotations

import numpy as np
import pytest

from rnnsim.core.clipping import clip, clip_by_global_norm, clip_by_value
from rnnsim.core.experiments.exploding import train_from_exploding_start
from rnnsim.core.initialisation import (
    gaussian_with_top_singular_value,
    orthogonal,
    rnn_params,
    scaled_orthogonal,
)
from rnnsim.core.tasks import adding_problem
from rnnsim.core.training import DIVERGED_LOSS, TrainingConfig, train_sgd


def grads(seed: int = 0, scale: float = 100.0):
    rng = np.random.default_rng(seed)
    return rnn_params(n=4, n_x=2, n_y=1, rng=rng).map(lambda w: scale * (w + rng.standard_normal(w.shape)))


def test_norm_clipping_rescales_to_the_threshold_and_keeps_direction() -> None:
    g = grads()
    clipped = clip_by_global_norm(g, 1.0)
    assert clipped.norm() == pytest.approx(1.0, rel=1e-12)
    cosine = np.dot(g.flat(), clipped.flat()) / (g.norm() * clipped.norm())
    assert cosine == pytest.approx(1.0, abs=1e-12)
    small = grads(scale=1e-3)
    assert clip_by_global_norm(small, 1.0) is small  # below the threshold: untouched


def test_value_clipping_caps_components() -> None:
    clipped = clip_by_value(grads(), 0.5)
    assert np.max(np.abs(clipped.flat())) == 0.5


def test_unknown_clipping_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown clipping"):
        clip(grads(), "median", 1.0)


def test_initialisations_set_the_size_exactly() -> None:
    rng = np.random.default_rng(0)
    q = orthogonal(8, rng)
    assert np.allclose(q.T @ q, np.eye(8), atol=1e-12)
    w = scaled_orthogonal(8, 1.3, rng)
    assert np.allclose(np.abs(np.linalg.eigvals(w)), 1.3, atol=1e-12)
    g = gaussian_with_top_singular_value((8, 5), 0.7, rng)
    assert np.linalg.norm(g, 2) == pytest.approx(0.7, rel=1e-12)


def test_adding_problem_targets_are_the_sum_of_the_marked_values() -> None:
    x, targets = adding_problem(12, 5, np.random.default_rng(0))
    assert np.all(x[:, :, 1].sum(axis=0) == 2)
    marked = (x[:, :, 0] * x[:, :, 1]).sum(axis=0)
    assert np.allclose(targets[-1, :, 0], marked)
    assert np.all(targets[:-1] == 0)


def test_divergence_is_detected_and_reported_without_raising() -> None:
    rng = np.random.default_rng(0)
    params = rnn_params(
        n=16, n_x=2, n_y=1, rng=rng, recurrent=scaled_orthogonal(16, 3.0, rng), output_scale=50.0
    )
    record = train_sgd(
        params,
        lambda r: adding_problem(10, 8, r),
        TrainingConfig(steps=300, learning_rate=1.0),
        np.random.default_rng(1),
    )
    assert record.diverged
    assert np.all(np.isfinite(record.loss[: record.diverged_at]))
    assert np.all(np.isnan(record.loss[record.diverged_at + 1 :]))
    assert np.isfinite(record.params.norm())


def test_training_stops_once_the_loss_passes_the_divergence_bound() -> None:
    """A loss past DIVERGED_LOSS ends the run there, not a hundred steps later at float64's overflow."""
    record = train_from_exploding_start(
        rho=1.5, T=10, seed=6, config=TrainingConfig(steps=300, learning_rate=0.02)
    )
    assert record.diverged
    assert np.all(record.loss[: record.diverged_at] <= DIVERGED_LOSS)
    assert DIVERGED_LOSS < record.loss[record.diverged_at] < np.inf
    assert np.all(np.isnan(record.loss[record.diverged_at + 1 :]))

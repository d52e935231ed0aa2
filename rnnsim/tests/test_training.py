"""Clipping and the SGD loop: bounded updates, and divergence reported instead of raised."""

from __future__ import annotations

import numpy as np
import pytest

from rnnsim.core import rnn
from rnnsim.core.clipping import clip, clip_by_global_norm, clip_by_value, global_norm
from rnnsim.core.experiments.exploding import train_from_exploding_start
from rnnsim.core.initialisation import (
    gaussian_with_top_singular_value,
    orthogonal,
    rnn_params,
    scaled_orthogonal,
)
from rnnsim.core.losses import squared_error
from rnnsim.core.tasks import adding_problem, adding_problems
from rnnsim.core.training import DIVERGED_LOSS, TrainingConfig, train_sgd


def grads(seed: int = 0, scale: float = 100.0) -> np.ndarray:
    """Every parameter's gradient as one vector, as clipping sees it."""
    rng = np.random.default_rng(seed)
    params = rnn_params(n=4, n_x=2, n_y=1, rng=rng)
    return params.map(lambda w: scale * (w + rng.standard_normal(w.shape))).flat()


def test_norm_clipping_rescales_to_the_threshold_and_keeps_direction() -> None:
    g = grads()
    clipped = clip_by_global_norm(g, 1.0)
    assert global_norm(clipped) == pytest.approx(1.0, rel=1e-12)
    assert global_norm(clipped) == pytest.approx(np.linalg.norm(clipped), rel=1e-15)
    cosine = np.dot(g, clipped) / (global_norm(g) * global_norm(clipped))
    assert cosine == pytest.approx(1.0, abs=1e-12)
    small = grads(scale=1e-3)
    assert clip_by_global_norm(small, 1.0) is small  # below the threshold: untouched


def test_value_clipping_caps_components() -> None:
    clipped = clip_by_value(grads(), 0.5)
    assert np.max(np.abs(clipped)) == 0.5


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
    xs, all_targets = adding_problems(12, 5, 3, np.random.default_rng(0))
    assert xs.shape == (3, 12, 5, 2)
    assert all_targets.shape == (3, 12, 5, 1)
    for x, targets in zip(xs, all_targets, strict=True):
        assert np.all(x[:6, :, 1].sum(axis=0) == 1)  # one mark in each half
        assert np.all(x[6:, :, 1].sum(axis=0) == 1)
        marked = (x[:, :, 0] * x[:, :, 1]).sum(axis=0)
        assert np.allclose(targets[-1, :, 0], marked)
        assert np.all(targets[:-1] == 0)
    assert len({x.tobytes() for x in xs}) == 3  # every step gets a batch of its own
    one = adding_problem(12, 5, np.random.default_rng(0))
    first = adding_problems(12, 5, 1, np.random.default_rng(0))
    assert np.array_equal(one[0], first[0][0])
    assert np.array_equal(one[1], first[1][0])


@pytest.mark.parametrize(("clipping", "decay"), [("none", 0.0), ("norm", 0.0), ("value", 0.5)])
def test_an_sgd_step_is_the_update_of_every_parameter(clipping, decay) -> None:
    """The loop updates one flat vector through views; each array must move as θ − η(clip(∇L) + λθ)."""
    rng = np.random.default_rng(3)
    params = rnn_params(n=6, n_x=2, n_y=1, rng=rng, recurrent=scaled_orthogonal(6, 1.2, rng))
    batches = adding_problems(8, 4, 1, rng)
    config = TrainingConfig(steps=1, learning_rate=0.1, clipping=clipping, threshold=0.05, weight_decay=decay)
    record = train_sgd(params, batches, config)
    trace = rnn.forward(params, batches[0][0])
    _, dy = squared_error(trace.y, batches[1][0], kind="last")
    grads = rnn.backward(params, trace, dy).params
    for name, weight in params.arrays().items():
        g = getattr(grads, name)
        if clipping == "norm":
            g = g * min(1.0, 0.05 / global_norm(grads.flat()))
        elif clipping == "value":
            g = np.clip(g, -0.05, 0.05)
        expected = weight - 0.1 * (g + decay * weight)
        assert np.allclose(getattr(record.params, name), expected, rtol=1e-13, atol=1e-15), name
    assert record.grad_norm[0] == pytest.approx(np.linalg.norm(grads.flat()), rel=1e-14)


def test_divergence_is_detected_and_reported_without_raising() -> None:
    rng = np.random.default_rng(0)
    params = rnn_params(
        n=16, n_x=2, n_y=1, rng=rng, recurrent=scaled_orthogonal(16, 3.0, rng), output_scale=50.0
    )
    batches = adding_problems(10, 8, 300, np.random.default_rng(1))
    record = train_sgd(params, batches, TrainingConfig(steps=300, learning_rate=1.0))
    assert record.diverged
    assert np.all(np.isfinite(record.loss[: record.diverged_at]))
    assert np.all(np.isnan(record.loss[record.diverged_at + 1 :]))
    assert np.all(np.isfinite(record.params.flat()))


def test_training_stops_once_the_loss_passes_the_divergence_bound() -> None:
    """A loss past DIVERGED_LOSS ends the run there, not a hundred steps later at float64's overflow."""
    record = train_from_exploding_start(
        rho=1.5, T=10, seed=6, config=TrainingConfig(steps=300, learning_rate=0.02)
    )
    assert record.diverged
    assert np.all(record.loss[: record.diverged_at] <= DIVERGED_LOSS)
    assert DIVERGED_LOSS < record.loss[record.diverged_at] < np.inf
    assert np.all(np.isnan(record.loss[record.diverged_at + 1 :]))

"""Every backward pass against central finite differences, and the exact identities of BPTT."""

from __future__ import annotations

import numpy as np
import pytest

from rnnsim.core import cliff, lstm, rnn
from rnnsim.core.experiments import get_experiment
from rnnsim.core.experiments.gradient_check import lstm_errors, rnn_errors, rnn_losses_from_states
from rnnsim.core.gradcheck import numerical_gradient, numerical_gradient_at_once, relative_error
from rnnsim.core.initialisation import rnn_params, scaled_orthogonal
from rnnsim.core.losses import squared_error
from rnnsim.core.truncation import window_backward

TOLERANCE = 1e-7


@pytest.mark.parametrize("cell", rnn.CELLS)
@pytest.mark.parametrize("kind", ["sum", "last"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rnn_gradients_match_finite_differences(cell, kind, seed) -> None:
    errors = rnn_errors(cell, T=6, n=4, kind=kind, rng=np.random.default_rng(seed))
    assert {"W_aa", "W_ax", "b_a", "W_y", "b_y", "dL/da_0", "dL/da_6"} <= set(errors)
    assert max(errors.values()) <= TOLERANCE, max(errors, key=errors.get)


@pytest.mark.parametrize("kind", ["sum", "last"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lstm_gradients_match_finite_differences(kind, seed) -> None:
    errors = lstm_errors(T=5, n=3, kind=kind, rng=np.random.default_rng(seed))
    assert {"W_x", "W_h", "b", "W_y", "b_y", "dL/dh_0", "dL/dc_0", "dL/dc_5"} <= set(errors)
    assert max(errors.values()) <= TOLERANCE, max(errors, key=errors.get)


@pytest.mark.parametrize("T", [lstm.CHUNK_STEPS, 2 * lstm.CHUNK_STEPS + 3])
def test_lstm_gradients_cross_the_backward_pass_chunks(T) -> None:
    """The backward pass goes back a chunk of steps at a time; a gradient carries across the cuts."""
    errors = lstm_errors(T=T, n=3, kind="sum", rng=np.random.default_rng(T))
    assert {"dL/dh_0", "dL/dc_0", f"dL/dc_{T}"} <= set(errors)
    assert max(errors.values()) <= TOLERANCE, max(errors, key=errors.get)


def test_gradient_check_experiment_covers_every_model() -> None:
    result = get_experiment("gradient-check").run()
    assert result.models == ("tanh", "linear", "residual", "lstm")
    assert result.worst <= TOLERANCE


def test_a_wrong_backward_pass_would_be_caught() -> None:
    """The check is sharp: dropping the tanh derivative from one step is far outside the tolerance."""
    rng = np.random.default_rng(0)
    params = rnn_params(n=4, n_x=3, n_y=2, rng=rng)
    x = rng.standard_normal((5, 2, 3))
    targets = rng.standard_normal((5, 2, 2))
    trace = rnn.forward(params, x)
    _, dy = squared_error(trace.y, targets)
    good = rnn.backward(params, trace, dy).params.W_aa
    linear_trace = rnn.RNNTrace(cell="linear", x=x, a=trace.a, h=None, y=trace.y)
    wrong = rnn.backward(params, linear_trace, dy).params.W_aa
    assert np.linalg.norm(good - wrong) / np.linalg.norm(good) > 1e-3


def test_differences_at_once_equal_one_at_a_time() -> None:
    x = np.random.default_rng(3).standard_normal((3, 4))
    at_once = numerical_gradient_at_once(lambda stack: np.sum(np.sin(stack) ** 3, axis=(1, 2)), x)
    one_at_a_time = numerical_gradient(lambda v: float(np.sum(np.sin(v) ** 3)), x)
    assert np.max(np.abs(at_once - one_at_a_time)) <= 1e-9
    assert np.max(np.abs(at_once - 3 * np.sin(x) ** 2 * np.cos(x))) <= 1e-8


@pytest.mark.parametrize("kind", ["sum", "last"])
def test_state_gradients_checked_as_one_batch_catch_a_wrong_backward_pass(kind) -> None:
    """Each copy of the state runs on as its own rows of one batch: its loss must be its own."""
    rng = np.random.default_rng(5)
    params = rnn_params(n=4, n_x=3, n_y=2, rng=rng)
    x, targets = rng.standard_normal((5, 2, 3)), rng.standard_normal((5, 2, 2))
    trace = rnn.forward(params, x)
    _, dy = squared_error(trace.y, targets, kind=kind)
    numeric = numerical_gradient_at_once(
        lambda states: rnn_losses_from_states(params, x, targets, 2, states, "tanh", kind), trace.a[2]
    )
    assert relative_error(rnn.backward(params, trace, dy).da[2], numeric) <= TOLERANCE
    linear_trace = rnn.RNNTrace(cell="linear", x=x, a=trace.a, h=None, y=trace.y)
    assert relative_error(rnn.backward(params, linear_trace, dy).da[2], numeric) > 1e-3


def test_unrolled_copies_sum_to_the_tied_gradient() -> None:
    result = get_experiment("unrolling").run()
    assert result.tied_minus_sum <= 1e-12
    assert result.copy_check_error <= TOLERANCE
    assert len(result.copy_norms) == 20
    assert result.copy_norms[0] == 0.0  # a_0 = 0, so the first copy's W_aa has nothing to learn from
    assert np.all(result.copy_norms[1:] > 0)


def test_forward_rejects_an_unknown_cell() -> None:
    params = rnn_params(n=2, n_x=1, n_y=1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown cell"):
        rnn.forward(params, np.zeros((3, 1, 1)), cell="gru")


@pytest.mark.parametrize("cell", rnn.CELLS)
def test_truncation_with_k_equal_to_T_is_full_bptt(cell) -> None:
    rng = np.random.default_rng(4)
    T = 12
    params = rnn_params(n=5, n_x=3, n_y=2, rng=rng, recurrent=scaled_orthogonal(5, 0.9, rng))
    trace = rnn.forward(params, rng.standard_normal((T, 3, 3)), cell=cell)
    _, dy = squared_error(trace.y, rng.standard_normal((T, 3, 2)))
    full = rnn.backward(params, trace, dy).params.flat()
    assert np.max(np.abs(window_backward(params, trace, dy, k=T).flat() - full)) <= 1e-12
    assert np.max(np.abs(rnn.backward(params, trace, dy, stop_every=T).params.flat() - full)) <= 1e-12
    assert np.linalg.norm(window_backward(params, trace, dy, k=2).flat() - full) > 1e-6
    assert np.linalg.norm(rnn.backward(params, trace, dy, stop_every=3).params.flat() - full) > 1e-6


@pytest.mark.parametrize("cell", rnn.CELLS)
def test_chunked_truncation_keeps_the_gradient_into_the_initial_state(cell) -> None:
    """a_0 belongs to the first chunk: at k = T it gets full BPTT's gradient, at k < T its chunk's."""
    rng = np.random.default_rng(6)
    T, k = 12, 3
    params = rnn_params(n=5, n_x=3, n_y=2, rng=rng, recurrent=scaled_orthogonal(5, 0.9, rng))
    trace = rnn.forward(params, rng.standard_normal((T, 3, 3)), cell=cell)
    _, dy = squared_error(trace.y, rng.standard_normal((T, 3, 2)))
    full = rnn.backward(params, trace, dy)
    assert np.max(np.abs(full.da[0])) > 1e-3
    assert np.max(np.abs(rnn.backward(params, trace, dy, stop_every=T).da - full.da)) <= 1e-12
    first_chunk_only = dy.copy()
    first_chunk_only[k:] = 0.0
    chunked = rnn.backward(params, trace, dy, stop_every=k).da[0]
    assert np.max(np.abs(chunked - rnn.backward(params, trace, first_chunk_only).da[0])) <= 1e-12


def test_window_of_one_step_is_the_gradient_without_recurrence() -> None:
    """k = 1: each loss term reaches only its own step's weights; W_aa sees a_{t−1} as a constant."""
    rng = np.random.default_rng(5)
    params = rnn_params(n=3, n_x=2, n_y=2, rng=rng)
    trace = rnn.forward(params, rng.standard_normal((4, 1, 2)))
    _, dy = squared_error(trace.y, rng.standard_normal((4, 1, 2)))
    grads = window_backward(params, trace, dy, k=1)
    dz = (dy[:, 0] @ params.W_y) * (1 - trace.a[1:, 0] ** 2)
    assert np.allclose(grads.W_aa, dz.T @ trace.a[:-1, 0], rtol=0, atol=1e-14)


def test_bad_truncation_arguments_are_errors() -> None:
    rng = np.random.default_rng(0)
    params = rnn_params(n=2, n_x=1, n_y=1, rng=rng)
    trace = rnn.forward(params, np.zeros((3, 1, 1)))
    dy = np.zeros_like(trace.y)
    with pytest.raises(ValueError, match="at least 1"):
        window_backward(params, trace, dy, k=0)
    with pytest.raises(ValueError, match="at least 1"):
        rnn.backward(params, trace, dy, stop_every=0)


@pytest.mark.parametrize("steps", [1, 3, 50])
@pytest.mark.parametrize(("w", "b"), [(5.5, -3.1), (6.5, -2.6), (3.0, -1.0), (7.9, -4.9)])
def test_cliff_gradient_matches_finite_differences(w, b, steps) -> None:
    """The one-unit RNN's BPTT (a running product back through time), on both sides of its wall.

    Fifty steps settle near a fixed point, where every step looks alike; a few steps check each one.
    """
    at = cliff.loss_and_gradient(np.array([w]), np.array([b]), steps=steps)

    def loss(p: np.ndarray) -> float:
        return float(cliff.loss(p[:1], p[1:], steps=steps)[0])

    numeric = numerical_gradient(loss, np.array([w, b]), eps=1e-7)
    assert relative_error(np.array([at.dw[0], at.db[0]]), numeric) <= TOLERANCE
    assert at.loss[0] == loss(np.array([w, b]))


def test_cliff_points_are_computed_independently_of_each_other() -> None:
    w, b = np.array([[5.5, 6.5], [3.0, 7.9]]), np.array([[-3.1, -2.6], [-1.0, -4.9]])
    grid = cliff.loss_and_gradient(w, b)
    alone = cliff.loss_and_gradient(w[1, 0], b[1, 0])
    assert grid.dw.shape == (2, 2)
    assert grid.dw[1, 0] == pytest.approx(float(alone.dw), rel=1e-14)
    assert grid.db[1, 0] == pytest.approx(float(alone.db), rel=1e-14)


@pytest.mark.parametrize("steps", [1, 3, 50])
@pytest.mark.parametrize(("w", "b"), [(5.5, -3.1), (6.5, -2.6), (3.0, -1.0), (7.9, -4.9)])
def test_one_point_in_floats_is_the_grid_at_that_point(w, b, steps) -> None:
    """SGD's float loop and the grid's arrays compute the same loss and gradient (to tanh's last bits)."""
    grid = cliff.loss_and_gradient(np.array([w]), np.array([b]), steps=steps)
    loss, dw, db = cliff.point_loss_and_gradient(w, b, steps=steps)
    assert loss == pytest.approx(grid.loss[0], rel=1e-12)
    assert dw == pytest.approx(grid.dw[0], rel=1e-12)
    assert db == pytest.approx(grid.db[0], rel=1e-12)

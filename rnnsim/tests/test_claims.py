"""Each experiment's one-sentence claim, as the numeric property it rests on."""

from __future__ import annotations

import numpy as np
import pytest

from rnnsim.core.experiments import get_experiment


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.9, 1.0, 1.1, 1.3, 1.5])
def test_gradient_ratio_is_exactly_rho_to_the_k(rho) -> None:
    result = get_experiment("rho-power-law").run({"rho": rho, "T": 60})
    ratio = result.ratios[list(result.rhos).index(rho)]
    assert np.max(np.abs(ratio / rho**result.k - 1)) <= 1e-9
    if rho < 1:
        assert ratio[-1] < 1e-2
    if rho > 1:
        assert ratio[-1] > 1e2


@pytest.mark.parametrize("s", [0.6, 0.9, 1.2, 1.5])
@pytest.mark.parametrize("seed", [4, 5])
def test_tanh_rnn_obeys_pascanus_bound(s, seed) -> None:
    result = get_experiment("pascanu-bound").run({"s": s, "seed": seed})
    assert np.all(result.ratio <= result.bound * (1 + 1e-12))


@pytest.mark.parametrize("rho", [0.7, 0.9, 1.2])
def test_input_weights_inherit_the_product_and_only_the_output_layer_escapes(rho) -> None:
    result = get_experiment("input-weights").run({"rho": rho})
    assert np.max(np.abs(result.w_ax_scale / rho**result.distance - 1)) <= 1e-9
    assert result.cut_change["W_y"] == 0.0
    assert result.cut_change["b_y"] == 0.0
    for name in ("W_aa", "W_ax", "b_a"):
        assert result.cut_change[name] > 1e-2, name


def test_clipping_halts_the_explosion() -> None:
    result = get_experiment("clipping").run()
    bound = result.learning_rate * result.threshold
    clipped, unclipped = result.clipped, result.unclipped
    assert not clipped.diverged
    assert np.all(clipped.update_norm <= bound * (1 + 1e-12))
    assert np.max(clipped.grad_norm) > 10 * result.threshold  # clipping was needed
    finite = unclipped.loss[np.isfinite(unclipped.loss)]
    spiked = np.any(finite[1:] > 10 * finite[:-1])
    assert unclipped.diverged or spiked
    start, end = np.mean(clipped.loss[:30]), np.mean(clipped.loss[-60:])
    assert end < 0.2 * start
    assert result.norm_clip_cosine == pytest.approx(1.0, abs=1e-12)
    assert result.value_clip_cosine < 0.99


@pytest.mark.parametrize("rho", [1.2, 1.5, 2.0])
def test_norm_clipping_keeps_the_direction_and_clipping_each_entry_turns_it(rho) -> None:
    result = get_experiment("clipping-direction").run({"rho": rho})
    assert np.all(np.abs(result.norm_cosine - 1) <= 1e-12)
    some_clipped = (result.clipped_share > 0) & (result.clipped_share < 1)
    assert np.all(result.value_cosine[some_clipped] < 1 - 1e-6)
    assert result.value_cosine[result.clipped_share == 0] == pytest.approx(1.0, abs=1e-12)
    assert np.all(np.diff(result.value_cosine) >= -1e-12)  # the more it clips, the further it turns
    assert result.value_cosine.min() < 0.9


@pytest.mark.parametrize("decay", [0.0, 0.5, 5.0])
def test_weight_decay_does_not_stop_the_explosion(decay) -> None:
    result = get_experiment("weight-decay").run({"decay": decay})
    assert all(record.diverged for record in result.decayed)
    assert not result.clipped.diverged
    assert np.all(result.clipped.update_norm <= result.learning_rate * result.threshold * (1 + 1e-12))


def test_the_cliff_has_a_wall_that_throws_unclipped_sgd_away() -> None:
    result = get_experiment("cliff").run()
    assert np.max(result.wall_gradient) > 1e6
    assert result.clipped_largest_step <= result.learning_rate * result.threshold * (1 + 1e-12)
    assert result.unclipped_largest_step > 20 * result.learning_rate * result.threshold
    assert result.clipped_loss[-1] < 1e-2
    assert result.clipped_loss[-1] < result.unclipped_loss[-1]


def test_gradients_are_hypersensitive_only_in_the_exploding_regime() -> None:
    result = get_experiment("sensitivity").run()
    change = dict(zip(result.rhos.tolist(), result.relative_change, strict=True))
    assert all(change[rho] < 1e-6 for rho in (0.5, 0.75, 1.0))
    assert change[4.0] > 0.1


@pytest.mark.parametrize("s", [0.1, 0.3, 0.6])
def test_residual_paths_stay_in_their_band_while_plain_tanh_vanishes(s) -> None:
    result = get_experiment("residual-paths").run({"s": s})
    assert np.all(result.residual >= result.low * (1 - 1e-12))
    assert np.all(result.residual <= result.high * (1 + 1e-12))
    assert result.plain.min() < 1e-6


def test_residual_gradient_may_grow() -> None:
    result = get_experiment("residual-paths").run()
    assert result.residual.max() > 1.0


def test_lstm_cell_gradient_follows_the_forget_gate() -> None:
    result = get_experiment("lstm-forget-gate").run()
    assert np.max(np.abs(result.cell_ratios / result.predicted - 1)) <= 1e-9
    assert result.hidden_ratio_large_weights.max() > 1e3  # explodes with large recurrent weights
    assert result.cell_ratio_small_bias[-1] < 1e-6  # vanishes with a forget bias near 0
    open_gate = list(result.forget_biases).index(5.0)
    assert result.cell_ratios[open_gate][-1] > 0.1  # survives with the forget gate near 1


@pytest.mark.parametrize("rho", [0.6, 0.8, 0.9])
def test_truncation_error_decays_like_rho_to_the_k(rho) -> None:
    result = get_experiment("truncated-bptt").run({"rho": rho})
    assert result.window_error[-1] <= 1e-12
    assert result.chunk_error[-1] <= 1e-12
    assert result.fitted_factor == pytest.approx(rho, rel=0.05)
    assert np.all(np.diff(result.window_error[result.window_error > 1e-12]) < 0)


def test_experiments_are_deterministic() -> None:
    first = get_experiment("clipping").run({"steps": 80})
    second = get_experiment("clipping").run({"steps": 80})
    assert np.array_equal(first.clipped.loss, second.clipped.loss, equal_nan=True)

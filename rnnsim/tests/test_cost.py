"""The multiply-add count of BPTT, checked against the matmuls numpy actually performs."""

from __future__ import annotations

import numpy as np
import pytest

from rnnsim.core import rnn
from rnnsim.core.experiments import get_experiment
from rnnsim.core.experiments.cost import multiply_adds
from rnnsim.core.losses import squared_error


class CountingArray(np.ndarray):
    """An array that adds up the multiply-adds of every matmul it takes part in."""

    count = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x) if isinstance(x, CountingArray) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(o) if isinstance(o, CountingArray) else o for o in kwargs["out"])
        if ufunc is np.matmul:
            a, b = plain
            rows = int(np.prod(a.shape[:-1])) if a.ndim > 1 else 1
            CountingArray.count += rows * a.shape[-1] * (b.shape[-1] if b.ndim > 1 else 1)
        result = getattr(ufunc, method)(*plain, **kwargs)
        return result.view(CountingArray) if isinstance(result, np.ndarray) else result


@pytest.mark.parametrize(
    ("T", "B", "n", "n_x", "n_y"), [(7, 3, 5, 2, 4), (20, 8, 16, 16, 16), (3, 1, 9, 1, 1)]
)
def test_multiply_add_count_is_exact(T, B, n, n_x, n_y) -> None:
    rng = np.random.default_rng(0)
    params = rnn.RNNParams(
        W_aa=rng.standard_normal((n, n)).view(CountingArray),
        W_ax=rng.standard_normal((n, n_x)).view(CountingArray),
        b_a=np.zeros(n),
        W_y=rng.standard_normal((n_y, n)).view(CountingArray),
        b_y=np.zeros(n_y),
    )
    x = rng.standard_normal((T, B, n_x)).view(CountingArray)
    CountingArray.count = 0
    trace = rnn.forward(params, x)
    forward_count = CountingArray.count
    _, dy = squared_error(np.asarray(trace.y), rng.standard_normal((T, B, n_y)))
    # The forward pass stores plain arrays; count the backward's products with them too.
    counted = rnn.RNNTrace(cell="tanh", x=x, a=trace.a.view(CountingArray), h=None, y=trace.y)
    rnn.backward(params, counted, dy.view(CountingArray))
    assert forward_count == T * B * (n * n + n * n_x + n * n_y)
    assert CountingArray.count == multiply_adds(T=T, B=B, n=n, n_x=n_x, n_y=n_y)


def test_cost_experiment_reports_measurements_for_every_point() -> None:
    result = get_experiment("bptt-cost").run({"max_T": 64, "max_n": 64, "repeats": 1})
    assert len(result.lengths) == len(result.seconds_by_length) == len(result.peak_bytes_by_length) >= 3
    assert np.all(result.seconds_by_length > 0)
    assert np.all(np.diff(result.multiply_adds_by_length) > 0)
    assert np.all(np.diff(result.peak_bytes_by_length) > 0)  # more steps, more stored activations

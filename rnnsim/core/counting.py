"""Counting the multiply-adds that rnn.forward and rnn.backward really perform, by watching every matmul.

The cost experiment's claim states a formula; this counts the work the engine does instead, so the
formula is checked against the code rather than against itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from . import rnn
from .initialisation import rnn_params
from .losses import squared_error


class CountingArray(np.ndarray):
    """An array whose matmuls add m·k·n (times any batch dimensions) to a shared tally."""

    tally: list[int]

    def __array_finalize__(self, obj) -> None:
        self.tally = getattr(obj, "tally", None)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        tally = next(x.tally for x in (*inputs, *(out or ())) if isinstance(x, CountingArray))
        plain = [np.asarray(x) if isinstance(x, CountingArray) else x for x in inputs]
        if ufunc is np.matmul and method == "__call__":
            left, right = (np.asarray(x) for x in plain)
            tally[0] += int(np.prod(left.shape[:-1])) * left.shape[-1] * right.shape[-1]
        if out is not None:
            kwargs["out"] = tuple(np.asarray(x) for x in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return counting(result, tally) if isinstance(result, np.ndarray) else result


def is_array(record, field) -> bool:
    return isinstance(getattr(record, field.name), np.ndarray)


def counting(array: np.ndarray, tally: list[int]) -> CountingArray:
    counted = np.asarray(array).view(CountingArray)
    counted.tally = tally
    return counted


@dataclass(frozen=True)
class MultiplyAdds:
    forward: int
    backward: int

    @property
    def total(self) -> int:
        return self.forward + self.backward


def count_multiply_adds(*, T: int, B: int, n: int, n_x: int, n_y: int) -> MultiplyAdds:
    """Run one forward and one backward pass on zeros and count what their matmuls multiply-add."""
    tally = [0]
    rng = np.random.default_rng(0)
    plain = rnn_params(n=n, n_x=n_x, n_y=n_y, rng=rng)
    params = rnn.RNNParams(**{name: counting(value, tally) for name, value in plain.arrays().items()})
    trace = rnn.forward(params, counting(np.zeros((T, B, n_x)), tally))
    forward = tally[0]
    # The forward pass allocates its states as plain arrays; watched here, the backward's matmuls count.
    watched = {f.name: counting(getattr(trace, f.name), tally) for f in fields(trace) if is_array(trace, f)}
    trace = replace(trace, **watched)
    _, dy = squared_error(trace.y, np.zeros((T, B, n_y)), kind="sum")
    rnn.backward(params, trace, counting(dy, tally))
    return MultiplyAdds(forward=forward, backward=tally[0] - forward)

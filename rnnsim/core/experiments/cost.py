"""Experiment 12: what BPTT costs, counted exactly and measured."""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass

import numpy as np

from .. import rnn
from ..counting import count_multiply_adds
from ..initialisation import rnn_params
from ..losses import squared_error
from .spec import Distractor, Experiment, Param, Quantity, seed_param

N_X = N_Y = 16
BATCH = 16


def multiply_adds(*, T: int, B: int, n: int, n_x: int, n_y: int) -> int:
    """Multiply-adds of one forward and backward pass: the forward matmuls once, the backward twice.

    Forward: W_ax x_t, W_aa a_{t−1}, W_y a_t for T·B rows = T·B·(n·n_x + n² + n_y·n). Backward: two
    products for each of those (one for the weight's gradient, one for the gradient of its input).
    """
    return 3 * T * B * (n * n + n * n_x + n * n_y)


@dataclass(frozen=True)
class CostResult:
    lengths: np.ndarray
    seconds_by_length: np.ndarray
    peak_bytes_by_length: np.ndarray
    sizes: np.ndarray
    seconds_by_size: np.ndarray
    multiply_adds_by_length: np.ndarray
    multiply_adds_by_size: np.ndarray
    fixed_n: int
    fixed_T: int

    @property
    def time_slope_in_length(self) -> float:
        return float(np.polyfit(np.log(self.lengths), np.log(self.seconds_by_length), 1)[0])

    @property
    def memory_slope_in_length(self) -> float:
        return float(np.polyfit(np.log(self.lengths), np.log(self.peak_bytes_by_length), 1)[0])

    @property
    def time_slope_in_size(self) -> float:
        """Fitted over the larger half of the sizes, where the n² matmuls dominate the overheads."""
        half = len(self.sizes) // 2
        return float(np.polyfit(np.log(self.sizes[half:]), np.log(self.seconds_by_size[half:]), 1)[0])


def one_pass(params: rnn.RNNParams, x: np.ndarray, targets: np.ndarray) -> None:
    trace = rnn.forward(params, x)
    _, dy = squared_error(trace.y, targets)
    rnn.backward(params, trace, dy)


Case = tuple[rnn.RNNParams, np.ndarray, np.ndarray]  # weights, inputs and targets of one measured point


def make_case(T: int, n: int, rng: np.random.Generator) -> Case:
    """A pass's time does not depend on the weights' values: a Gaussian recurrent matrix scaled by 1/√n
    serves as well as an orthogonal one, without the QR that cost a third of a redraw's simulation."""
    recurrent = rng.standard_normal((n, n)) / np.sqrt(n)
    params = rnn_params(n=n, n_x=N_X, n_y=N_Y, rng=rng, recurrent=recurrent)
    return params, rng.standard_normal((T, BATCH, N_X)), rng.standard_normal((T, BATCH, N_Y))


def median_seconds(case: Case, repeats: int) -> float:
    """Median seconds of a forward and backward pass."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        one_pass(*case)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def peak_bytes(case: Case) -> int:
    """The peak memory one pass allocates (traced, so this pass is not timed)."""
    tracemalloc.start()
    one_pass(*case)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run(*, max_T: int, max_n: int, repeats: int, seed: int) -> CostResult:
    rng = np.random.default_rng(seed)
    fixed_n, fixed_T = 64, 50
    lengths = np.unique(np.geomspace(max(max_T // 16, 2), max_T, 5).astype(int))
    sizes = np.unique(np.geomspace(max(max_n // 16, 4), max_n, 5).astype(int))
    by_length = [make_case(int(T), fixed_n, rng) for T in lengths]
    by_size = [make_case(fixed_T, int(n), rng) for n in sizes]
    # Memory first: its traced pass also warms each length's case, so a single timed pass (the lab's
    # default) is not the first touch of its arrays.
    peak_bytes_by_length = np.array([peak_bytes(case) for case in by_length])  # grows with T alone
    return CostResult(
        lengths=lengths,
        seconds_by_length=np.array([median_seconds(case, repeats) for case in by_length]),
        peak_bytes_by_length=peak_bytes_by_length,
        sizes=sizes,
        seconds_by_size=np.array([median_seconds(case, repeats) for case in by_size]),
        multiply_adds_by_length=np.array(
            [multiply_adds(T=int(T), B=BATCH, n=fixed_n, n_x=N_X, n_y=N_Y) for T in lengths]
        ),
        multiply_adds_by_size=np.array(
            [multiply_adds(T=fixed_T, B=BATCH, n=int(n), n_x=N_X, n_y=N_Y) for n in sizes]
        ),
        fixed_n=fixed_n,
        fixed_T=fixed_T,
    )


EXPERIMENT = Experiment(
    name="bptt-cost",
    title="The cost of BPTT",
    claim=(
        "One forward and backward pass costs exactly $3TB(n^2 + n n_x + n n_y)$ multiply-adds: time grows "
        "linearly with the sequence length $T$ and quadratically with the hidden size $n$, and memory "
        "linearly in $T$."
    ),
    params=(
        # The lab opens on a quick sweep (a timing experiment redraws by timing again); the seed's plot
        # asks for the full one.
        Param("max_T", 100, 50, 400, "Longest sequence measured.", integer=True),
        Param("max_n", 200, 64, 320, "Largest hidden size measured.", integer=True),
        Param("repeats", 1, 1, 3, "Timed repeats per point (the median is kept).", integer=True),
        seed_param(12),
    ),
    runner=run,
    quantities=(
        Quantity(
            "forward-multiply-adds",
            "the multiply-adds of one forward pass, counted matmul by matmul",
            lambda run, v: (
                count_multiply_adds(T=v["T"], B=v["B"], n=v["n"], n_x=v["n_x"], n_y=v["n_y"]).forward
            ),
            probes=(
                Param("T", 50, 1, 1000, "Sequence length T.", integer=True),
                Param("B", 16, 1, 256, "Batch size B.", integer=True),
                Param("n", 64, 1, 512, "Hidden units n.", integer=True),
                Param("n_x", 16, 1, 512, "Input size n_x.", integer=True, label="n_x"),
                Param("n_y", 16, 1, 512, "Output size n_y.", integer=True, label="n_y"),
            ),
            closed_form=lambda v: v["T"] * v["B"] * (v["n"] ** 2 + v["n"] * v["n_x"] + v["n"] * v["n_y"]),
            exact=True,
            distractors={
                "with-backward": Distractor(
                    "3TB(n² + n·n_x + n·n_y), forward and backward",
                    lambda v: 3 * v["T"] * v["B"] * (v["n"] ** 2 + v["n"] * v["n_x"] + v["n"] * v["n_y"]),
                    "That counts the backward pass too, which does each product twice more (once for the "
                    "weight's gradient, once for its input's). The forward pass alone is a third of it.",
                ),
                "recurrent-only": Distractor(
                    "TB·n², the recurrent product alone",
                    lambda v: v["T"] * v["B"] * v["n"] ** 2,
                    "That counts only $W_{aa} a_{t-1}$. Each step also multiplies by $W_{ax}$ (input) and "
                    "$W_y$ (output): $TB(n^2 + n n_x + n n_y)$.",
                ),
                "no-batch": Distractor(
                    "T(n² + n·n_x + n·n_y), one sequence only",
                    lambda v: v["T"] * (v["n"] ** 2 + v["n"] * v["n_x"] + v["n"] * v["n_y"]),
                    "That is one sequence's count; a batch of $B$ sequences does it $B$ times.",
                ),
            },
        ),
    ),
)

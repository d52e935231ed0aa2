"""BPTT speed: rnnsim's numpy engine against PyTorch CPU, measured in the same run.

Targets (issue "Step 3"): one forward+backward pass of the tanh RNN, float64, B=32, T=100, n=64,
n_x=n_y=16, median of at least 20 runs, takes at most 0.5x the time of PyTorch autograd on the same
model written as a Python loop and at most 0.8x the time of PyTorch's fused torch.nn.RNN; and at
n=1024, B=32, T=50 it is within 1.5x of the time of just its matrix multiplications.

Run with `make bench` (it builds the Python 3.11 virtualenv that torch's CPU wheel needs).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnsim.core import rnn
from rnnsim.core.initialisation import rnn_params
from rnnsim.core.losses import squared_error

RUNS = 50


def median_seconds(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm up: allocations, BLAS threads, torch's dispatcher
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def case(T: int, B: int, n: int, n_x: int = 16, n_y: int = 16):
    rng = np.random.default_rng(0)
    params = rnn_params(
        n=n, n_x=n_x, n_y=n_y, rng=rng, recurrent=0.9 * np.linalg.qr(rng.standard_normal((n, n)))[0]
    )
    x = rng.standard_normal((T, B, n_x))
    targets = rng.standard_normal((T, B, n_y))
    return params, x, targets


def numpy_pass(params, x, targets) -> Callable[[], object]:
    def run():
        trace = rnn.forward(params, x)
        _, dy = squared_error(trace.y, targets)
        return rnn.backward(params, trace, dy)

    return run


def torch_loop_pass(params, x, targets) -> Callable[[], object]:
    """The same model as a plain Python loop under torch autograd."""
    W = {k: torch.tensor(v, requires_grad=True) for k, v in params.arrays().items()}
    xt, tt = torch.tensor(x), torch.tensor(targets)

    def run():
        for w in W.values():
            w.grad = None
        a = torch.zeros(x.shape[1], params.W_aa.shape[0], dtype=torch.float64)
        ys = []
        for t in range(x.shape[0]):
            a = torch.tanh(a @ W["W_aa"].T + xt[t] @ W["W_ax"].T + W["b_a"])
            ys.append(a @ W["W_y"].T + W["b_y"])
        loss = 0.5 * ((torch.stack(ys) - tt) ** 2).sum()
        loss.backward()
        return loss

    return run


def torch_fused_pass(params, x, targets) -> Callable[[], object]:
    """torch.nn.RNN (fused tanh RNN) plus a Linear output layer, float64."""
    n = params.W_aa.shape[0]
    cell = torch.nn.RNN(x.shape[2], n, nonlinearity="tanh", dtype=torch.float64)
    out = torch.nn.Linear(n, targets.shape[2], dtype=torch.float64)
    with torch.no_grad():
        cell.weight_hh_l0.copy_(torch.tensor(params.W_aa))
        cell.weight_ih_l0.copy_(torch.tensor(params.W_ax))
        cell.bias_ih_l0.copy_(torch.tensor(params.b_a))
        cell.bias_hh_l0.zero_()
        out.weight.copy_(torch.tensor(params.W_y))
        out.bias.copy_(torch.tensor(params.b_y))
    xt, tt = torch.tensor(x), torch.tensor(targets)

    def run():
        cell.zero_grad()
        out.zero_grad()
        states, _ = cell(xt)
        loss = 0.5 * ((out(states) - tt) ** 2).sum()
        loss.backward()
        return loss

    return run


def matmuls_only(params, x, targets) -> Callable[[], object]:
    """Exactly the matrix products one pass performs, and nothing else: the floor for the engine."""
    T, B, n_x = x.shape
    n, n_y = params.W_aa.shape[0], params.W_y.shape[0]
    a = np.random.default_rng(1).standard_normal((T + 1, B, n))
    dz = np.random.default_rng(2).standard_normal((T, B, n))
    dy = targets
    W_aa_T = params.W_aa.T.copy()
    step = np.empty((B, n))

    def run():
        x.reshape(T * B, n_x) @ params.W_ax.T
        for t in range(T):
            np.matmul(a[t], W_aa_T, out=step)
        a[1:].reshape(T * B, n) @ params.W_y.T
        dy.reshape(T * B, n_y) @ params.W_y
        for t in range(T):
            np.matmul(dz[t], params.W_aa, out=step)
        dz.reshape(T * B, n).T @ a[:-1].reshape(T * B, n)
        dz.reshape(T * B, n).T @ x.reshape(T * B, n_x)
        dy.reshape(T * B, n_y).T @ a[1:].reshape(T * B, n)
        dz.reshape(T * B, n) @ params.W_ax

    return run


def check_same_gradients(params, x, targets) -> float:
    """Before timing anything: both engines compute the same gradient."""
    ours = numpy_pass(params, x, targets)().params.W_aa
    W = {k: torch.tensor(v, requires_grad=True) for k, v in params.arrays().items()}
    a = torch.zeros(x.shape[1], params.W_aa.shape[0], dtype=torch.float64)
    ys = []
    for t in range(x.shape[0]):
        a = torch.tanh(a @ W["W_aa"].T + torch.tensor(x[t]) @ W["W_ax"].T + W["b_a"])
        ys.append(a @ W["W_y"].T + W["b_y"])
    (0.5 * ((torch.stack(ys) - torch.tensor(targets)) ** 2).sum()).backward()
    return float(np.max(np.abs(ours - W["W_aa"].grad.numpy())) / np.max(np.abs(ours)))


def main() -> int:
    print(
        f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"{RUNS} runs each"
    )
    small = case(T=100, B=32, n=64)
    print(
        f"gradient agreement with torch autograd: max relative difference {check_same_gradients(*small):.1e}"
    )
    ours = median_seconds(numpy_pass(*small))
    loop = median_seconds(torch_loop_pass(*small))
    fused = median_seconds(torch_fused_pass(*small))
    big = case(T=50, B=32, n=1024)
    ours_big = median_seconds(numpy_pass(*big), runs=20)
    floor = median_seconds(matmuls_only(*big), runs=20)
    rows = [
        ("B=32 T=100 n=64: rnnsim / torch autograd loop", ours, loop, 0.5),
        ("B=32 T=100 n=64: rnnsim / torch.nn.RNN fused", ours, fused, 0.8),
        ("B=32 T=50 n=1024: rnnsim / its matmuls alone", ours_big, floor, 1.5),
    ]
    failed = False
    print(f"{'case':50s} {'rnnsim ms':>10s} {'baseline ms':>12s} {'ratio':>7s} {'target':>7s}")
    for label, mine, baseline, target in rows:
        ratio = mine / baseline
        failed |= ratio > target
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{label:50s} {mine * 1e3:10.3f} {baseline * 1e3:12.3f} {ratio:7.2f} "
            f"{'<=' + str(target):>7s} {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

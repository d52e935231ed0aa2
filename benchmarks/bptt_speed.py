"""BPTT speed: rnnsim's numpy engine against PyTorch CPU and against its own matrix products.

Targets (Round 2, Step 6), float64, forward and backward, n_x = n_y = 16: the tanh RNN at B=32, T=100,
n=64 within 1.5x of its own matmuls, at most 0.35x torch.nn.RNN (the fused kernel) and 0.2x the
torch autograd loop; at n=1024 within 1.2x of its matmuls; the LSTM at the small shape at most 0.35x
torch.nn.LSTM and within 1.5x of its matmuls; gradients equal to torch's to 1e-12. Every ratio is
the median of interleaved pairs (benchmarks/pairs.py).

Both libraries run on one thread each. With their thread pools at two threads on this 2-core
machine, each pool's workers spin after a call on the core the other library is being timed on, and
the pairs' ratios spread over 0.2-0.7 (torch.nn.LSTM, IQR of one run) instead of ±5%. At one thread
(`make bench` sets OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1) it is kernel against kernel and three
runs agree.

Run with `make bench` (it builds the Python 3.11 virtualenv that torch's CPU wheel needs).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # rnnsim; the script's own folder is there too

from pairs import PAIRS, Paired, load_text, paired
from verdicts import Verdict, report

from rnnsim.core import lstm, rnn
from rnnsim.core.initialisation import lstm_params, rnn_params
from rnnsim.core.losses import squared_error


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
    return modules_pass(*with_weights(cell, params.W_ax, params.W_aa, params.b_a, params), x, targets)


def with_weights(cell, input_weights, recurrent_weights, bias, params):
    """A torch recurrent module and its Linear output layer, float64, holding rnnsim's weights."""
    out = torch.nn.Linear(cell.hidden_size, params.W_y.shape[0], dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih_l0.copy_(torch.tensor(input_weights))
        cell.weight_hh_l0.copy_(torch.tensor(recurrent_weights))
        cell.bias_ih_l0.copy_(torch.tensor(bias))
        cell.bias_hh_l0.zero_()
        out.weight.copy_(torch.tensor(params.W_y))
        out.bias.copy_(torch.tensor(params.b_y))
    return cell, out


def modules_pass(cell, out, x, targets) -> Callable[[], object]:
    """One forward and backward pass through a torch recurrent module and its Linear output layer."""
    xt, tt = torch.tensor(x), torch.tensor(targets)

    def run():
        cell.zero_grad()
        out.zero_grad()
        states, _ = cell(xt)
        loss = 0.5 * ((out(states) - tt) ** 2).sum()
        loss.backward()
        return cell

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


def lstm_case(T: int, B: int, n: int, n_x: int = 16, n_y: int = 16):
    rng = np.random.default_rng(0)
    params = lstm_params(n=n, n_x=n_x, n_y=n_y, rng=rng)
    return params, rng.standard_normal((T, B, n_x)), rng.standard_normal((T, B, n_y))


def lstm_pass(params, x, targets) -> Callable[[], object]:
    def run():
        trace = lstm.forward(params, x)
        _, dy = squared_error(trace.y, targets)
        return lstm.backward(params, trace, dy)

    return run


def torch_lstm(params, x, targets):
    """torch.nn.LSTM (fused) plus a Linear output layer, float64, with rnnsim's weights (gates i, f, g, o)."""
    cell = torch.nn.LSTM(x.shape[2], params.W_h.shape[1], dtype=torch.float64)
    return with_weights(cell, params.W_x, params.W_h, params.b, params)


def torch_lstm_pass(params, x, targets) -> Callable[[], object]:
    return modules_pass(*torch_lstm(params, x, targets), x, targets)


def lstm_matmuls_only(params, x, targets) -> Callable[[], object]:
    """The matrix products one LSTM pass performs, nothing else: its floor."""
    T, B, n_x = x.shape
    n, n_y = params.W_h.shape[1], params.W_y.shape[0]
    h = np.random.default_rng(1).standard_normal((T + 1, B, n))
    dz = np.random.default_rng(2).standard_normal((T, B, 4 * n))
    W_h_T = params.W_h.T.copy()
    step, back = np.empty((B, 4 * n)), np.empty((B, n))

    def run():
        x.reshape(T * B, n_x) @ params.W_x.T
        for t in range(T):
            np.matmul(h[t], W_h_T, out=step)
        h[1:].reshape(T * B, n) @ params.W_y.T
        targets.reshape(T * B, n_y) @ params.W_y
        for t in range(T):
            np.matmul(dz[t], params.W_h, out=back)
        dz.reshape(T * B, 4 * n).T @ x.reshape(T * B, n_x)
        dz.reshape(T * B, 4 * n).T @ h[:-1].reshape(T * B, n)
        targets.reshape(T * B, n_y).T @ h[1:].reshape(T * B, n)
        dz.reshape(T * B, 4 * n) @ params.W_x

    return run


def lstm_agreement(params, x, targets) -> float:
    """The largest relative difference of any LSTM weight gradient from torch.nn.LSTM's."""
    ours = lstm_pass(params, x, targets)().params
    cell = torch_lstm_pass(params, x, targets)()
    pairs = [
        (ours.W_x, cell.weight_ih_l0.grad),
        (ours.W_h, cell.weight_hh_l0.grad),
        (ours.b, cell.bias_ih_l0.grad),
    ]
    return max(float(np.max(np.abs(a - b.numpy())) / np.max(np.abs(a))) for a, b in pairs)


def ratio_verdict(label: str, result: Paired, limit: float) -> Verdict:
    return Verdict("bptt_speed", f"{label} ≤ {limit:g}", result.spread, result.ratio <= limit)


def main() -> int:
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"numpy {np.__version__} (OpenBLAS threads {blas}), torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), {load_text()}"
    )
    print(f"each ratio: the median of {PAIRS} interleaved pairs (candidate, baseline), with its spread")
    small, big, cell = case(T=100, B=32, n=64), case(T=50, B=32, n=1024), lstm_case(T=100, B=32, n=64)
    rnn_error, lstm_error = check_same_gradients(*small), lstm_agreement(*cell)
    ours, ours_big, ours_lstm = numpy_pass(*small), numpy_pass(*big), lstm_pass(*cell)
    measured = [
        ("RNN B=32 T=100 n=64 / its own matmuls", paired(ours, matmuls_only(*small)), 1.5),
        ("RNN B=32 T=50 n=1024 / its own matmuls", paired(ours_big, matmuls_only(*big), pairs=11), 1.2),
        ("RNN B=32 T=100 n=64 / torch.nn.RNN", paired(ours, torch_fused_pass(*small)), 0.35),
        ("RNN B=32 T=100 n=64 / torch autograd loop", paired(ours, torch_loop_pass(*small)), 0.2),
        ("LSTM B=32 T=100 n=64 / torch.nn.LSTM", paired(ours_lstm, torch_lstm_pass(*cell)), 0.35),
        ("LSTM B=32 T=100 n=64 / its own matmuls", paired(ours_lstm, lstm_matmuls_only(*cell)), 1.5),
    ]
    for label, result, _ in measured:
        print(f"  {label}: {result.candidate * 1e3:.2f} ms against {result.baseline * 1e3:.2f} ms")
    verdicts = [ratio_verdict(label, result, limit) for label, result, limit in measured]
    verdicts += [
        Verdict(
            "bptt_speed",
            "RNN gradients equal torch autograd's to ≤ 1e-12",
            f"{rnn_error:.1e}",
            rnn_error <= 1e-12,
        ),
        Verdict(
            "bptt_speed",
            "LSTM gradients equal torch.nn.LSTM's to ≤ 1e-12",
            f"{lstm_error:.1e}",
            lstm_error <= 1e-12,
        ),
    ]
    return report(verdicts)


if __name__ == "__main__":
    raise SystemExit(main())

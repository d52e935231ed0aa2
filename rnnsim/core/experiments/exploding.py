"""Experiments 6, 7 and 8: what exploding gradients do to training, and what clipping does about it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import cliff, rnn
from ..clipping import clip_by_global_norm, clip_by_value
from ..initialisation import rnn_params, scaled_orthogonal
from ..losses import squared_error
from ..tasks import adding_problem, adding_problems
from ..training import TrainingConfig, TrainingRecord, train_sgd
from .spec import Distractor, Experiment, Param, Quantity, hidden_param, length_param, seed_param


@dataclass(frozen=True)
class ClippingResult:
    unclipped: TrainingRecord
    clipped: TrainingRecord
    learning_rate: float
    threshold: float
    norm_clip_cosine: float  # cosine between the raw gradient and its norm-clipped version
    value_clip_cosine: float  # … and its value-clipped version


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


N_HIDDEN, BATCH = 32, 32


def exploding_start(rho: float, seed: int) -> rnn.RNNParams:
    rng = np.random.default_rng(seed)
    return rnn_params(n=N_HIDDEN, n_x=2, n_y=1, rng=rng, recurrent=scaled_orthogonal(N_HIDDEN, rho, rng))


def first_gradient(*, rho: float, T: int, seed: int) -> rnn.RNNParams:
    """BPTT's gradient at the exploding start, on the first batch SGD sees from it."""
    params = exploding_start(rho, seed)
    x, targets = adding_problem(T, BATCH, np.random.default_rng(seed + 1))
    trace = rnn.forward(params, x)
    _, dy = squared_error(trace.y, targets, kind="last")
    return rnn.backward(params, trace, dy).params


def train_from_exploding_start(*, rho: float, T: int, seed: int, config: TrainingConfig) -> TrainingRecord:
    """SGD on the adding problem; every run with the same seed sees the same start and the same batches."""
    batches = adding_problems(T, BATCH, config.steps, np.random.default_rng(seed + 1))
    return train_sgd(exploding_start(rho, seed), batches, config)


def clipping(
    *, rho: float, learning_rate: float, threshold: float, steps: int, T: int, seed: int
) -> ClippingResult:
    """SGD on the adding problem from the same exploding initialisation, without and with norm clipping."""
    records = [
        train_from_exploding_start(
            rho=rho,
            T=T,
            seed=seed,
            config=TrainingConfig(
                steps=steps, learning_rate=learning_rate, clipping=kind, threshold=threshold
            ),
        )
        for kind in ("none", "norm")
    ]
    # Direction: compare one large gradient with its two clipped versions.
    flat = first_gradient(rho=rho, T=T, seed=seed).flat()
    small = threshold / 10
    return ClippingResult(
        unclipped=records[0],
        clipped=records[1],
        learning_rate=learning_rate,
        threshold=threshold,
        norm_clip_cosine=cosine(flat, clip_by_global_norm(flat, small)),
        value_clip_cosine=cosine(flat, clip_by_value(flat, small / np.sqrt(flat.size))),
    )


@dataclass(frozen=True)
class WeightDecayResult:
    decays: np.ndarray  # the weight-decay strengths λ tried
    decayed: tuple[TrainingRecord, ...]  # one unclipped run per λ
    clipped: TrainingRecord  # norm clipping, no decay, for comparison
    learning_rate: float
    threshold: float


def weight_decay(
    *, decay: float, rho: float, learning_rate: float, steps: int, seed: int
) -> WeightDecayResult:
    """The same exploding start trained with weight decay of several strengths, and with clipping."""
    decays = np.unique(np.array([0.0, 1.0, decay]))
    T, threshold = 10, 1.0
    decayed = tuple(
        train_from_exploding_start(
            rho=rho,
            T=T,
            seed=seed,
            config=TrainingConfig(steps=steps, learning_rate=learning_rate, weight_decay=d),
        )
        for d in decays
    )
    clipped = train_from_exploding_start(
        rho=rho,
        T=T,
        seed=seed,
        config=TrainingConfig(steps=steps, learning_rate=learning_rate, clipping="norm", threshold=threshold),
    )
    return WeightDecayResult(decays, decayed, clipped, learning_rate, threshold)


@dataclass(frozen=True)
class CliffResult:
    w: np.ndarray  # grid axis
    b: np.ndarray  # grid axis
    loss: np.ndarray  # (len(b), len(w))
    wall_w: np.ndarray  # points located on the wall
    wall_b: np.ndarray
    wall_gradient: np.ndarray  # |∇L| there
    unclipped_path: np.ndarray  # (steps+1, 2) of (w, b)
    clipped_path: np.ndarray
    unclipped_loss: np.ndarray
    clipped_loss: np.ndarray
    learning_rate: float
    threshold: float

    @property
    def unclipped_largest_step(self) -> float:
        return float(np.max(np.linalg.norm(np.diff(self.unclipped_path, axis=0), axis=1)))

    @property
    def clipped_largest_step(self) -> float:
        return float(np.max(np.linalg.norm(np.diff(self.clipped_path, axis=0), axis=1)))


def sgd_on_cliff(
    w: float, b: float, *, learning_rate: float, thresholds: np.ndarray, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """SGD from (w, b), one run per clipping threshold (inf: no clipping).

    Returns paths (steps+1, runs, 2) and losses (steps, runs).
    """
    paths = np.empty((steps + 1, len(thresholds), 2))
    losses = np.empty((steps, len(thresholds)))
    for run, threshold in enumerate(thresholds):
        point_w, point_b = float(w), float(b)
        paths[0, run] = point_w, point_b
        for step in range(steps):
            losses[step, run], dw, db = cliff.point_loss_and_gradient(point_w, point_b)
            norm = math.hypot(dw, db)
            scale = threshold / norm if norm > threshold else 1.0  # g ← c·g/‖g‖ where ‖g‖ > c
            point_w -= learning_rate * dw * scale
            point_b -= learning_rate * db * scale
            paths[step + 1, run] = point_w, point_b
    return paths, losses


def locate_wall(w: np.ndarray, b_low: np.ndarray, b_high: np.ndarray) -> np.ndarray:
    """Bisect on b, for every w at once, for the jump in loss between points on either side of the wall."""
    low_loss = cliff.loss(w, b_low)
    high_loss = cliff.loss(w, b_high)
    for _ in range(60):
        mid = 0.5 * (b_low + b_high)
        mid_loss = cliff.loss(w, mid)
        nearer_low = np.abs(mid_loss - low_loss) < np.abs(mid_loss - high_loss)
        b_low, low_loss = np.where(nearer_low, mid, b_low), np.where(nearer_low, mid_loss, low_loss)
        b_high, high_loss = np.where(nearer_low, b_high, mid), np.where(nearer_low, high_loss, mid_loss)
    return 0.5 * (b_low + b_high)


def cliff_experiment(
    *, w0: float, b0: float, learning_rate: float, threshold: float, steps: int
) -> CliffResult:
    w_axis = np.linspace(2.0, 8.0, 241)
    b_axis = np.linspace(-5.0, 0.0, 201)
    surface = cliff.loss(w_axis[None, :], b_axis[:, None])
    wall_w = np.linspace(6.0, 8.0, 5)
    columns = cliff.loss(wall_w[None, :], b_axis[:, None])
    jumps = np.argmax(np.abs(np.diff(columns, axis=0)), axis=0)  # the largest jump along b is the wall
    wall_b = locate_wall(wall_w, b_axis[jumps], b_axis[jumps + 1])
    at_wall = cliff.loss_and_gradient(wall_w, wall_b)
    paths, losses = sgd_on_cliff(
        w0, b0, learning_rate=learning_rate, thresholds=np.array([np.inf, threshold]), steps=steps
    )
    return CliffResult(
        w=w_axis,
        b=b_axis,
        loss=surface,
        wall_w=wall_w,
        wall_b=wall_b,
        wall_gradient=np.hypot(at_wall.dw, at_wall.db),
        unclipped_path=paths[:, 0],
        clipped_path=paths[:, 1],
        unclipped_loss=losses[:, 0],
        clipped_loss=losses[:, 1],
        learning_rate=learning_rate,
        threshold=threshold,
    )


SETTLED_LOSS = 1e-2


@dataclass(frozen=True)
class SensitivityResult:
    rhos: np.ndarray
    relative_change: np.ndarray  # ‖g(a_0 + δ) − g(a_0)‖ / ‖g(a_0)‖ for each ρ
    delta: float


def sensitivity(*, T: int, n: int, seed: int) -> SensitivityResult:
    """Move the initial state by 1e-9 and measure how much the whole parameter gradient changes."""
    rhos = np.array([0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])
    delta = 1e-9
    changes = []
    for rho in rhos:
        rng = np.random.default_rng(seed)
        params = rnn_params(n=n, n_x=2, n_y=1, rng=rng, recurrent=scaled_orthogonal(n, rho, rng))
        x = rng.standard_normal((T, 4, 2))
        targets = rng.standard_normal((T, 4, 1))
        a0 = 0.1 * rng.standard_normal((4, n))
        nudge = rng.standard_normal((4, n))
        nudge *= delta / np.linalg.norm(nudge)
        grads = []
        for start in (a0, a0 + nudge):
            trace = rnn.forward(params, x, start)
            _, dy = squared_error(trace.y, targets, kind="last")
            grads.append(rnn.backward(params, trace, dy).params.flat())
        changes.append(np.linalg.norm(grads[1] - grads[0]) / np.linalg.norm(grads[0]))
    return SensitivityResult(rhos=rhos, relative_change=np.array(changes), delta=delta)


CLIPPING = Experiment(
    name="clipping",
    title="Clipping halts an explosion",
    claim=(
        "From an exploding initialisation, unclipped SGD diverges while norm-clipped SGD converges; "
        "every clipped update moves the weights by at most $\\eta c$, in the gradient's own direction."
    ),
    params=(
        Param("rho", 1.5, 1.0, 2.0, "Spectral radius of the initial recurrent matrix.", label="ρ"),
        Param("learning_rate", 0.02, 0.001, 0.05, "SGD learning rate η.", label="η"),
        Param("threshold", 1.0, 0.1, 10.0, "Clipping threshold c on the gradient norm.", label="c"),
        Param("steps", 200, 50, 600, "SGD steps.", integer=True),
        length_param(10, 5, 15, "Sequence length of the adding problem."),
        seed_param(6),
    ),
    runner=clipping,
    quantities=(
        Quantity(
            "largest-clipped-step",
            "the length of clipped SGD's largest step",
            lambda run, v: float(np.max(run().clipped.update_norm)),
            closed_form=lambda v: v["learning_rate"] * v["threshold"],
            plotted_at=lambda run, v: (1, float(np.argmax(run().clipped.update_norm))),  # the update panel
            agreement=1e-12,  # clipping engages at once from the exploding start: the step is exactly ηc
            distractors={
                "threshold-alone": Distractor(
                    "c, the threshold itself",
                    lambda v: v["threshold"],
                    r"The threshold caps the gradient's norm at $c$; the step is the learning rate times "
                    r"that gradient, so at most $\eta c$.",
                ),
                "rate-alone": Distractor(
                    "η, the learning rate alone",
                    lambda v: v["learning_rate"],
                    r"A step is $\eta$ times the clipped gradient, whose norm is up to $c$: $\eta c$.",
                ),
                "rate-over-threshold": Distractor(
                    "η/c",
                    lambda v: v["learning_rate"] / v["threshold"],
                    r"Clipping rescales the gradient *to* norm $c$; it does not divide by $c$. The step is "
                    r"$\eta c$.",
                ),
            },
        ),
    ),
)
WEIGHT_DECAY = Experiment(
    name="weight-decay",
    title="Weight decay does not stop an explosion",
    claim=(
        "Weight decay shrinks the weights a little at every step but puts no bound on a single update: "
        "from an exploding start, SGD with weight decay still diverges, while clipped SGD does not."
    ),
    params=(
        Param("decay", 0.5, 0.0, 5.0, "Weight-decay strength λ in θ ← θ − η(∇L + λθ).", label="λ"),
        Param("rho", 1.5, 1.0, 2.0, "Spectral radius of the initial recurrent matrix.", label="ρ"),
        Param("learning_rate", 0.02, 0.001, 0.05, "SGD learning rate η.", label="η"),
        Param("steps", 150, 50, 400, "SGD steps.", integer=True),
        seed_param(6),
    ),
    runner=weight_decay,
)
CLIFF = Experiment(
    name="cliff",
    title="The cliff in the loss surface",
    claim=(
        "The one-unit RNN $x_t = w\\,\\sigma(x_{t-1}) + b$ has a wall in its loss surface where "
        "$|\\nabla L|$ exceeds $10^6$; "
        "clipped SGD crosses the region stably while unclipped SGD is thrown far away."
    ),
    params=(
        Param("w0", 5.5, 4.5, 7.5, "Starting w.", label="w₀"),
        Param("b0", -3.1, -4.5, -2.0, "Starting b.", label="b₀"),
        Param("learning_rate", 0.5, 0.05, 2.0, "SGD learning rate η.", label="η"),
        Param("threshold", 1.0, 0.1, 10.0, "Clipping threshold c on the gradient norm.", label="c"),
        Param("steps", 200, 20, 400, "SGD steps.", integer=True),
    ),
    runner=cliff_experiment,
    quantities=(
        Quantity(
            "clipped-settles",
            "whether clipped SGD has crossed the wall and settled",
            lambda run, v: 0.0 if run().clipped_loss[-1] < SETTLED_LOSS else 1.0,
            holds=lambda run, v: (
                run().clipped_largest_step <= run().learning_rate * run().threshold * (1 + 1e-12)
            ),
            outcomes=(
                (
                    "It has crossed the wall and settled: its loss is below 0.01.",
                    "Clipped steps are at most $\\eta c$ long, so SGD crosses the wall without being "
                    "thrown; with enough steps at this learning rate it reaches the far side's minimum.",
                ),
                (
                    "It has not settled yet: its loss is still 0.01 or more.",
                    "Clipping keeps every step at most $\\eta c$ long. That is what makes the crossing "
                    "safe, and also what makes it slow: with this learning rate and this many steps it "
                    "has not reached the minimum yet.",
                ),
            ),
        ),
    ),
)
SENSITIVITY = Experiment(
    name="sensitivity",
    title="Why exploding gradients make training unstable",
    claim=(
        "Moving the initial state by $10^{-9}$ barely changes the gradient in the contractive regime, but "
        "changes it by a relative amount of order 1 in the exploding regime."
    ),
    params=(
        length_param(100, 20, 200),
        hidden_param(32, 4, 64),
        seed_param(8),
    ),
    runner=sensitivity,
)

"""Beliefs played out: a learner's wrong idea run as an experiment, beside what the run shows.

A what-if names the run a belief is about (an experiment and its parameters), what the belief predicts
that run will show, and what it does show, in the run's own numbers. ``refutes`` is the numeric claim
behind the plot: the test suite checks it for every what-if, as it checks every experiment's claim.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .experiments import get_experiment
from .templates import cached_run
from .training import DIVERGED_LOSS

Runs = Callable[..., Any]  # the what-if's experiment run at its parameters, with keyword overrides


@dataclass(frozen=True)
class WhatIf:
    name: str
    belief: str  # the belief, as an instructor picks it
    experiment: str
    params: Mapping[str, float | int]
    predicts: str  # what the belief predicts this run will show (Markdown)
    shows: Callable[[Runs], str]  # what the run does show, in its own numbers (Markdown)
    refutes: Callable[[Runs], bool]  # the claim: the run contradicts the prediction

    def runs(self, **overrides: float | int) -> Any:
        """The run (memoised), or the same experiment with some parameters changed, for comparison."""
        params = get_experiment(self.experiment).resolve(dict(self.params) | overrides)
        return cached_run(self.experiment, json.dumps(params, sort_keys=True))

    @property
    def finding(self) -> str:
        return self.shows(self.runs)

    @property
    def holds(self) -> bool:
        return bool(self.refutes(self.runs))

    @property
    def plot(self) -> dict:
        """The plot spec of the run, as content stores one."""
        return {"experiment": self.experiment, "params": dict(self.params)}


def sci(value: float) -> str:
    """A number for a sentence: 3 significant figures, or 1.2 × 10⁻⁵ in LaTeX when small or large."""
    if value != 0 and not 1e-3 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.2e}".split("e")
        return rf"${float(mantissa):g} \times 10^{{{int(exponent)}}}$"
    return f"{value:.3g}"


def larger_step_shows(runs: Runs) -> str:
    large, usual = runs(), runs(learning_rate=0.02)
    return (
        f"Without clipping, SGD at $\\eta = 0.05$ diverges (its loss passes {sci(DIVERGED_LOSS)}) at step "
        f"{large.unclipped.diverged_at}; at the usual $\\eta = 0.02$ it lasted until step "
        f"{usual.unclipped.diverged_at}. A larger step multiplies the exploding gradient too. Norm clipping "
        f"at the same $\\eta = 0.05$ never diverges: no step is longer than "
        f"$\\eta c$ = {sci(float(np.max(large.clipped.update_norm)))}."
    )


def larger_step_refutes(runs: Runs) -> bool:
    large, usual = runs(), runs(learning_rate=0.02)
    return bool(
        large.unclipped.diverged
        and usual.unclipped.diverged
        and large.unclipped.diverged_at < usual.unclipped.diverged_at
        and not large.clipped.diverged
    )


def direction_shows(runs: Runs) -> str:
    r = runs()
    lowest = int(np.argmin(r.value_cosine))
    return (
        f"Clipped entry by entry at {sci(r.fractions[lowest])} of its largest entry, the gradient's cosine "
        f"with the unclipped one falls to {r.value_cosine[lowest]:.3f}: the update turns away from the "
        f"steepest descent. Norm clipping keeps a cosine of {np.min(r.norm_cosine):.3f} at every threshold."
    )


def direction_refutes(runs: Runs) -> bool:
    r = runs()
    return bool(np.min(r.value_cosine) < 0.99 and np.all(np.abs(r.norm_cosine - 1) <= 1e-12))


def clipping_vanishing_shows(runs: Runs) -> str:
    r = runs()
    ratio = r.ratios[list(r.rhos).index(r.rho)]
    return (
        f"At $\\rho = {r.rho:g}$ the gradient {int(r.k[-1])} steps back is {sci(ratio[-1])} of the last "
        f"one's size, and no earlier step's is larger than the last one's (at most {ratio.max():.3g}). "
        f"Clipping only ever scales a gradient down, by $\\min(1, c/\\|g\\|)$: it cannot lift these."
    )


def clipping_vanishing_refutes(runs: Runs) -> bool:
    r = runs()
    ratio = r.ratios[list(r.rhos).index(r.rho)]
    return bool(np.max(ratio) <= 1 + 1e-12 and ratio[-1] < 1e-4)


def decay_shows(runs: Runs) -> str:
    r = runs()
    diverged = ", ".join(
        f"$\\lambda = {d:g}$ at step {record.diverged_at}"
        for d, record in zip(r.decays, r.decayed, strict=True)
    )
    return (
        f"Every unclipped run still diverges, its loss passing {sci(DIVERGED_LOSS)} ({diverged}): decay "
        f"pulls the weights in by a fraction $\\eta\\lambda$ a step, far too little against one exploding "
        f"gradient. Norm clipping alone, with no decay, trains all {len(r.clipped.loss)} steps."
    )


def decay_refutes(runs: Runs) -> bool:
    r = runs()
    return bool(all(record.diverged for record in r.decayed) and not r.clipped.diverged)


def residual_shows(runs: Runs) -> str:
    r = runs()
    return (
        f"With $s = {r.s:g}$ the residual RNN's gradient ratio ranges from {r.residual.min():.3g} to "
        f"{sci(r.residual.max())} over {int(r.k[-1])} steps: the identity path stops it vanishing, but "
        f"it is not held at 1; it grows, within $(1 + s)^k$."
    )


def residual_refutes(runs: Runs) -> bool:
    r = runs()
    return bool(r.residual.max() > 1.5 and np.all(r.residual <= r.high * (1 + 1e-12)))


def lstm_shows(runs: Runs) -> str:
    r = runs()
    grown = r.hidden_ratio_large_weights
    return (
        f"With large recurrent weights (largest singular value {r.recurrent_scale:g}), the LSTM's "
        f"hidden-state gradient {int(np.argmax(grown))} steps back is {sci(float(np.max(grown)))} times the "
        f"last one: its gates' recurrent weights make it explode, the additive cell path notwithstanding."
    )


def lstm_refutes(runs: Runs) -> bool:
    return bool(np.max(runs().hidden_ratio_large_weights) > 10)


def cost_shows(runs: Runs) -> str:
    r = runs()
    first, last = r.multiply_adds_by_length[0], r.multiply_adds_by_length[-1]
    growth, length = last / first, r.lengths[-1] / r.lengths[0]
    return (
        f"Counted matmul by matmul, BPTT's multiply-adds go from {int(first):,} at $T = {r.lengths[0]}$ to "
        f"{int(last):,} at $T = {r.lengths[-1]}$: ×{growth:g} for ×{length:g} the length. Linear in $T$, "
        f"not quadratic; a quadratic cost would have grown ×{length**2:g}."
    )


def cost_refutes(runs: Runs) -> bool:
    r = runs()
    per_step = r.multiply_adds_by_length / r.lengths
    return bool(np.all(per_step == per_step[0]))


def truncation_shows(runs: Runs) -> str:
    r = runs()
    return (
        f"A window of 1 step misses {r.window_error[0]:.0%} of the gradient and one of 5 steps "
        f"{r.window_error[4]:.0%}; only a window as long as the sequence ({int(r.k[-1])} steps) gives it "
        f"exactly (error {sci(r.window_error[-1])}). The missing part is the gradient from further back."
    )


def truncation_refutes(runs: Runs) -> bool:
    r = runs()
    return bool(r.window_error[0] > 0.1 and r.window_error[4] > 1e-3 and r.window_error[-1] <= 1e-12)


def input_weights_shows(runs: Runs) -> str:
    r = runs()
    far = int(np.argmax(r.distance))
    return (
        f"An input {int(r.distance[far])} steps before the loss gets a $W_{{ax}}$ gradient "
        f"{sci(r.w_ax_scale[far])} the size of one given at the loss: $\\rho^k$ with $\\rho = {r.rho:g}$, "
        f"exactly as $W_{{aa}}$'s. The input enters directly, but its effect travels through every step."
    )


def input_weights_refutes(runs: Runs) -> bool:
    r = runs()
    return bool(np.max(np.abs(r.w_ax_scale / r.rho ** r.distance.astype(float) - 1)) <= 1e-9 and r.rho < 1)


WHATIFS = MappingProxyType(
    {
        whatif.name: whatif
        for whatif in (
            WhatIf(
                "larger-learning-rate",
                "a larger learning rate fixes exploding gradients",
                "clipping",
                {"learning_rate": 0.05},
                "A larger learning rate would carry training past the explosion: the unclipped run would "
                "last longer, or settle.",
                larger_step_shows,
                larger_step_refutes,
            ),
            WhatIf(
                "entry-wise-clipping",
                "clipping each entry keeps the gradient's direction",
                "clipping-direction",
                {},
                "Clipping each entry into $[-c, c]$ would keep the gradient pointing the same way, as norm "
                "clipping does.",
                direction_shows,
                direction_refutes,
            ),
            WhatIf(
                "clipping-lifts-vanishing",
                "clipping fixes vanishing gradients",
                "rho-power-law",
                {"rho": 0.8, "T": 60},
                "Clipping would lift a vanishing gradient back up.",
                clipping_vanishing_shows,
                clipping_vanishing_refutes,
            ),
            WhatIf(
                "weight-decay-stops-explosion",
                "weight decay stops an explosion",
                "weight-decay",
                {"decay": 5.0},
                "Strong weight decay, pulling the weights towards zero every step, would stop the explosion.",
                decay_shows,
                decay_refutes,
            ),
            WhatIf(
                "residual-holds-at-one",
                "residual connections pin the gradient norm at 1",
                "residual-paths",
                {"s": 0.5},
                "With residual connections the gradient would keep exactly its size, 1, at every step back.",
                residual_shows,
                residual_refutes,
            ),
            WhatIf(
                "lstm-cannot-explode",
                "LSTMs cannot have exploding gradients",
                "lstm-forget-gate",
                {},
                "An LSTM's gradient could never grow from one step back to the next.",
                lstm_shows,
                lstm_refutes,
            ),
            WhatIf(
                "quadratic-cost",
                "BPTT's cost is quadratic in the sequence length",
                "bptt-cost",
                {},
                "Doubling the sequence length would quadruple BPTT's work.",
                cost_shows,
                cost_refutes,
            ),
            WhatIf(
                "truncation-is-exact",
                "truncated BPTT computes the exact gradient",
                "truncated-bptt",
                {},
                "A truncated window would give the full gradient, only faster.",
                truncation_shows,
                truncation_refutes,
            ),
            WhatIf(
                "input-weights-escape",
                "the input weights W_ax are free of vanishing",
                "input-weights",
                {},
                "The input weights' gradient would keep its size however long ago the input came.",
                input_weights_shows,
                input_weights_refutes,
            ),
        )
    }
)

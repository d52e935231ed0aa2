"""The registry of named experiments: every explanation plot is drawn from one of these."""

from __future__ import annotations

from types import MappingProxyType

from . import clip_direction, cost, gradient_check, gradient_flow, lstm_gates, truncated, unrolling
from .exploding import CLIFF, CLIPPING, SENSITIVITY, WEIGHT_DECAY
from .spec import Distractor, Experiment, Param, ParameterError, Quantity

EXPERIMENTS = MappingProxyType(
    {
        experiment.name: experiment
        for experiment in (
            gradient_check.EXPERIMENT,
            unrolling.EXPERIMENT,
            gradient_flow.POWER_LAW,
            gradient_flow.PASCANU_BOUND,
            gradient_flow.INPUT_WEIGHTS,
            CLIPPING,
            clip_direction.EXPERIMENT,
            WEIGHT_DECAY,
            CLIFF,
            SENSITIVITY,
            gradient_flow.RESIDUAL,
            lstm_gates.EXPERIMENT,
            truncated.EXPERIMENT,
            cost.EXPERIMENT,
        )
    }
)


def get_experiment(name: str) -> Experiment:
    """The experiment of that name; KeyError with the known names otherwise."""
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise KeyError(f"Unknown experiment {name!r}. Known: {', '.join(EXPERIMENTS)}.") from None


__all__ = ["EXPERIMENTS", "Distractor", "Experiment", "Param", "ParameterError", "Quantity", "get_experiment"]

"""The most expensive parameters an experiment's spec allows: what a visitor can make the lab run."""

from __future__ import annotations


def most_expensive(experiment) -> dict:
    """The spec's upper bounds for every size and count, and the slowest-diverging learning rate."""
    params = {p.name: p.maximum if p.integer and p.name != "seed" else p.default for p in experiment.params}
    for p in experiment.params:
        if p.name == "learning_rate":
            params[p.name] = p.minimum
    return params

"""Experiment parameters for tests that draw every plot: the defaults, bptt-cost's timing kept short."""

from __future__ import annotations

from rnnsim.core.experiments import EXPERIMENTS


def quick_params(name: str) -> dict:
    params = EXPERIMENTS[name].defaults
    if name == "bptt-cost":
        params = {**params, "max_T": 64, "max_n": 64, "repeats": 1}
    return params

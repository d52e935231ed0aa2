"""Every what-if's claim, checked on its run: the belief's prediction fails, in the run's own numbers."""

from __future__ import annotations

import re

import pytest

from rnnsim.core.experiments import get_experiment
from rnnsim.core.whatifs import WHATIFS


@pytest.mark.parametrize("name", sorted(WHATIFS))
def test_the_run_contradicts_what_the_belief_predicts(name: str) -> None:
    whatif = WHATIFS[name]
    assert whatif.holds
    get_experiment(whatif.experiment).resolve(whatif.params)  # within the experiment's bounds
    assert re.search(r"\d", whatif.finding)  # said in the run's numbers


def test_a_comparison_run_changes_only_the_parameters_it_names() -> None:
    whatif = WHATIFS["larger-learning-rate"]
    usual = whatif.runs(learning_rate=0.02)
    assert usual.learning_rate == 0.02
    assert whatif.runs().learning_rate == 0.05
    assert whatif.runs() is whatif.runs()  # memoised: a page's caption and its check share one run

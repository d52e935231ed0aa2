"""Experiment parameters are validated against their spec with messages that name the bound."""

from __future__ import annotations

import re

import pytest

from rnnsim.core.experiments import EXPERIMENTS, ParameterError, get_experiment


def test_defaults_fill_in_and_values_are_typed() -> None:
    experiment = get_experiment("rho-power-law")
    params = experiment.resolve({"rho": "1.2", "T": "50"})
    assert params == {"rho": 1.2, "T": 50, "n": 16, "seed": 3}
    assert isinstance(params["T"], int)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"rho": "2.5"}, "rho must be between 0.5 and 1.5; got '2.5'."),
        ({"rho": "abc"}, "rho must be a number; got 'abc'."),
        ({"rho": "nan"}, "rho must be a finite number"),
        ({"rho": "inf"}, "rho must be a finite number"),
        ({"T": "10.5"}, "T must be a whole number"),
        ({"T": 100000}, "T must be between 10 and 200"),
        ({"gamma": "1"}, "Unknown parameter for rho-power-law: gamma."),
    ],
)
def test_bad_parameters_are_rejected_with_a_clear_message(raw, message) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(".", r"\.")):
        get_experiment("rho-power-law").resolve(raw)


def test_unknown_experiment_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="Known: gradient-check"):
        get_experiment("nope")


def test_every_experiment_has_a_claim_bounded_params_and_runs_at_its_defaults() -> None:
    assert len(EXPERIMENTS) >= 12
    for name, experiment in EXPERIMENTS.items():
        assert experiment.name == name
        assert experiment.claim.endswith(".")
        # Claims are Markdown with their math in LaTeX between $ signs, drawn as MathML on the site.
        outside_math = re.sub(r"\$[^$]*\$", "", experiment.claim)
        assert not re.search(r"[_^ρσηλ∇·]", outside_math), (experiment.name, outside_math)
        for param in experiment.params:
            assert param.minimum <= param.default <= param.maximum, (name, param.name)
            assert param.help
        assert experiment.resolve({}) == experiment.defaults

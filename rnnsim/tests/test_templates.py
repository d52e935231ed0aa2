"""Question templates: every seed template's keys, checked on 200 draws against theory and the claims."""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

import pytest

from rnnsim.core.counting import count_multiply_adds
from rnnsim.core.experiments import ParameterError
from rnnsim.core.templates import MAX_DRAWS, Range, Template, show_number

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DRAWS = 200


def seed_templates() -> dict[str, dict]:
    """Every template in the seed content, by where it is."""
    found = {}
    for path in sorted(FIXTURES.glob("*.json")):
        for row in json.loads(path.read_text()):
            if row["fields"].get("template"):
                found[f"{row['model']} {row['pk']}"] = row["fields"]["template"]
    return found


SEED = seed_templates()


def test_the_seed_has_a_template_for_every_idea_the_issue_names() -> None:
    quantities = {(t["experiment"], t["quantity"]) for t in SEED.values()}
    assert quantities >= {
        ("rho-power-law", "ratio"),
        ("pascanu-bound", "bound"),
        ("clipping", "largest-clipped-step"),
        ("lstm-forget-gate", "cell-ratio"),
        ("residual-paths", "upper-band"),
        ("truncated-bptt", "shrink-factor"),
        ("bptt-cost", "forward-multiply-adds"),
        ("cliff", "clipped-settles"),
    }
    powers = [t for t in SEED.values() if t["quantity"] == "ratio"]
    rhos = {rho for t in powers for rho in Range.from_json("rho", t["params"]["rho"]).values}
    assert min(rhos) < 1 < max(rhos)  # the power law both vanishing and exploding
    assert len(SEED) >= 8


@pytest.mark.parametrize("where", list(SEED))
def test_200_draws_have_finite_keys_that_theory_or_the_claim_confirms(where) -> None:
    template = Template.from_json(SEED[where])
    quantity = template.quantity
    rng = random.Random(where)  # noqa: S311 - reproducible draws
    for _ in range(DRAWS):
        variant = template.draw(rng)
        values = variant.params | variant.run_params
        assert math.isfinite(variant.key), values
        if quantity.closed_form is not None:
            expected = quantity.closed_form(values)
            assert abs(variant.key - expected) <= quantity.agreement * abs(expected), values
        else:
            assert quantity.holds is not None, "a quantity without a closed form must check its claim"
        if quantity.holds is not None:
            assert quantity.holds(template.runner(variant.run_params), values), values
        if template.choices:
            assert len(variant.choices) == template.choices
            assert sum(choice.is_correct for choice in variant.choices) == 1
        if template.choices and not quantity.outcomes:
            key, *distractors = variant.choices
            assert key.is_correct
            assert key.value == variant.key
            for distractor in distractors:  # farther than the tolerance from the key and from each other
                assert abs(distractor.value - key.value) > template.tolerance * abs(key.value), values
            values_shown = [choice.value for choice in variant.choices]
            for i, a in enumerate(values_shown):
                for b in values_shown[i + 1 :]:
                    assert not template.too_close(a, b), values


@pytest.mark.parametrize("where", list(SEED))
def test_every_allowed_draw_of_a_seed_template_is_answerable(where) -> None:
    assert Template.from_json(SEED[where]).problems() == []


def test_a_regime_templates_draws_give_both_outcomes() -> None:
    cliff = next(t for t in SEED.values() if t["quantity"] == "clipped-settles")
    template = Template.from_json(cliff)
    outcomes = {template.variant(values).key for values in template.draws()}
    assert outcomes == {0.0, 1.0}


POWER = {"experiment": "rho-power-law", "quantity": "ratio", "params": {"rho": {"values": [0.9]}}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"params": {"rho": {"from": 0.5, "to": 1.6, "step": 0.1}, "k": {"values": [20]}}}, "rho must be"),
        ({"params": {"rho": {"values": [0.9]}, "k": {"values": [20, 300]}}}, "k must be between 1 and 200"),
        ({"params": {"rho": {"values": [0.9]}, "k": {"values": [5]}}}, "T must be between 10 and 200"),
        ({"params": {"rho": {"values": [0.9]}}}, "k: ratio needs it drawn"),
        ({"params": {"rho": {"values": [0.9]}, "k": {"values": [20]}, "q": {"values": [1]}}}, "q: not a"),
        ({"quantity": "nothing"}, "has no quantity 'nothing'"),
        ({"experiment": "nothing"}, "Unknown experiment"),
        ({"distractors": ["k-times", "made-up"], "choices": 3}, "'made-up' is not a rule"),
        ({"tolerance": 2}, "tolerance"),
        (
            {
                "params": {
                    "rho": {"from": 0.5, "to": 1.5, "step": 0.001},
                    "k": {"from": 10, "to": 200, "step": 1},
                }
            },
            f"at most {MAX_DRAWS:,}",
        ),
    ],
)
def test_a_template_that_some_draw_breaks_is_refused_with_the_parameter_named(change, message) -> None:
    data = POWER | {"params": {"rho": {"values": [0.9]}, "k": {"values": [20]}}} | change
    try:
        found = "; ".join(Template.from_json(data).problems())
    except ParameterError as error:
        found = str(error)
    assert message in found


def test_choices_a_learner_could_not_tell_apart_are_refused_for_the_draws_that_make_them() -> None:
    data = POWER | {
        "params": {"rho": {"values": [0.9, 1.0]}, "k": {"values": [20]}},
        "choices": 4,
        "distractors": ["k-times", "over-k", "inverse-power", "about-one"],
    }
    problems = Template.from_json(data).problems()
    assert len(problems) == 1
    assert problems[0].startswith("k = 20, rho = 1: only 3 of the 4 choices")  # ρᵏ = 1/ρᵏ = 1 at ρ = 1
    assert (
        Template.from_json(data | {"params": {"rho": {"values": [0.9]}, "k": {"values": [20]}}}).problems()
        == []
    )


def test_a_distractor_too_close_to_the_key_gives_way_to_the_next_rule() -> None:
    data = POWER | {
        "params": {"rho": {"values": [1.0]}, "k": {"values": [20]}},
        "choices": 2,
        "distractors": ["about-one", "inverse-power", "k-times"],
    }
    variant = Template.from_json(data).variant({"rho": 1.0, "k": 20})
    assert [choice.rule for choice in variant.choices] == ["", "k-times"]  # 1 and 1/1²⁰ equal the key


def test_ranges_show_their_own_decimals_and_skip_exceptions() -> None:
    rho = Range.from_json("rho", {"from": 0.5, "to": 1.0, "step": 0.05, "except": [1]})
    assert rho.values[0] == 0.5
    assert rho.values[-1] == pytest.approx(0.95)
    assert len(rho.values) == 10
    assert rho.show(0.5) == "0.50"
    assert Range.from_json("k", {"values": [10, 20]}).show(10) == "10"
    with pytest.raises(ParameterError, match="positive step"):
        Range.from_json("k", {"from": 1, "to": 5, "step": 0})


def test_numbers_are_shown_as_a_person_reads_them() -> None:
    assert show_number(0.43046721) == "0.4305"
    assert show_number(983040.0, exact=True) == "983\u202f040"
    assert show_number(983040.0) == r"$9.83 \times 10^{5}$"
    assert show_number(2.656e-5) == r"$2.656 \times 10^{-5}$"
    assert show_number(3.3e8) == r"$3.3 \times 10^{8}$"


@pytest.mark.parametrize(
    ("T", "B", "n", "n_x", "n_y"), [(3, 2, 4, 5, 6), (10, 16, 64, 16, 1), (1, 1, 1, 1, 1)]
)
def test_the_engine_does_exactly_the_multiply_adds_the_cost_claim_states(T, B, n, n_x, n_y) -> None:
    counted = count_multiply_adds(T=T, B=B, n=n, n_x=n_x, n_y=n_y)
    per_pass = T * B * (n * n + n * n_x + n * n_y)
    assert counted.forward == per_pass
    assert counted.total == 3 * per_pass


def test_checking_every_draw_stops_at_its_deadline_naming_the_widest_range() -> None:
    template = Template.from_json(SEED["quizzes.question 23"])  # rho: 20 values, k: 19
    with pytest.raises(ParameterError, match=r"rho: checking all 380 draws .* fewer than its 20 values"):
        template.problems(deadline=time.monotonic() - 1)
    assert template.problems(deadline=time.monotonic() + 600) == []

"""Named, deterministic experiments with a typed, bounded parameter spec."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class ParameterError(ValueError):
    """A parameter value outside its spec; the message names the parameter and its bounds."""


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    minimum: float
    maximum: float
    help: str
    integer: bool = False
    label: str = ""

    def parse(self, raw: object) -> float | int:
        """Turn user input (a string from a form or a number) into a value within the bounds."""
        try:
            value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
        except ValueError:
            raise ParameterError(f"{self.name} must be a number; got {raw!r}.") from None
        if not math.isfinite(value):
            raise ParameterError(f"{self.name} must be a finite number; got {raw!r}.")
        if self.integer:
            if value != int(value):
                raise ParameterError(f"{self.name} must be a whole number; got {raw!r}.")
            value = int(value)
        if not self.minimum <= value <= self.maximum:
            raise ParameterError(
                f"{self.name} must be between {self.format(self.minimum)} and {self.format(self.maximum)}; "
                f"got {raw!r}."
            )
        return value

    def format(self, value: float) -> str:
        return str(int(value)) if self.integer else f"{value:g}"

    @property
    def step(self) -> float:
        """A slider step: whole numbers, or about 200 positions across the range."""
        if self.integer:
            return 1
        span = self.maximum - self.minimum
        return float(f"{span / 200:.1g}")


Values = Mapping[str, float | int]
Run = Callable[[], Any]  # the experiment's run for one variant, made once however often it is asked for


@dataclass(frozen=True)
class Distractor:
    """A named wrong way of reasoning, and the answer it leads to, for a question's wrong choices."""

    label: str  # the reasoning, as an instructor picks it: "kρ instead of ρᵏ"
    value: Callable[[Values], float]  # the answer it gives for a variant's parameters
    feedback: str  # what a learner who picked it is told, in Markdown with LaTeX
    text: str = ""  # the choice's own words where the number alone would mislead ("≈ 1: …")


@dataclass(frozen=True)
class Quantity:
    """A number one run of the experiment determines: what a question template's key can be.

    ``probes`` are parameters of the question that the experiment does not take (how many steps back
    the question looks, k); ``run_params`` turns a variant's parameters into the experiment's. A regime
    (``outcomes``) is a quantity whose value is which of a few things happens.
    """

    name: str
    label: str
    measure: Callable[[Run, Values], float]
    probes: tuple[Param, ...] = ()
    run_params: Callable[[Values], dict] = lambda values: {}
    closed_form: Callable[[Values], float] | None = None  # where theory gives the number exactly
    agreement: float = 1e-9  # how closely, relatively, the experiment's claim says the two agree
    holds: Callable[[Run, Values], bool] | None = None  # the claim, on the variant, where no closed form
    distractors: Mapping[str, Distractor] = field(default_factory=dict)
    exact: bool = False  # an integer count: graded exactly, whatever the template's tolerance
    # Where the experiment's plot draws the value, as (panel, x): a learner's answer is marked there at its
    # own height, beside the simulation's. None where the plot draws no such point (a fit, a count).
    plotted_at: Callable[[Run, Values], tuple[int, float]] | None = None
    outcomes: tuple[tuple[str, str], ...] = ()  # a regime: (choice text, feedback); measure gives the index


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    claim: str
    params: tuple[Param, ...]
    runner: Callable[..., Any]
    quantities: tuple[Quantity, ...] = ()

    def quantity(self, name: str) -> Quantity:
        """The quantity of that name; ParameterError naming the known ones otherwise."""
        for quantity in self.quantities:
            if quantity.name == name:
                return quantity
        known = ", ".join(q.name for q in self.quantities) or "none"
        raise ParameterError(f"{self.name} has no quantity {name!r}. Known: {known}.")

    def resolve(self, raw: Mapping[str, object] | None = None) -> dict[str, float | int]:
        """Validate user parameters against the spec and fill in the defaults; unknown names are errors."""
        raw = dict(raw or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ParameterError(
                f"Unknown parameter{'s' if len(unknown) > 1 else ''} for {self.name}: {', '.join(unknown)}. "
                f"Known: {', '.join(known)}."
            )
        return {name: p.parse(raw[name]) if name in raw else p.default for name, p in known.items()}

    def run(self, raw: Mapping[str, object] | None = None) -> Any:
        """Run with validated parameters; the same parameters always give the same result."""
        return self.runner(**self.resolve(raw))

    @property
    def defaults(self) -> dict[str, float | int]:
        return {p.name: p.default for p in self.params}


def seed_param(default: int) -> Param:
    return Param(
        "seed", default, 0, 2**31 - 1, "Random seed; each seed is a different random network.", integer=True
    )


def length_param(default: int, minimum: int, maximum: int, help: str = "Sequence length T.") -> Param:
    return Param("T", default, minimum, maximum, help, integer=True)


def hidden_param(default: int, minimum: int = 2, maximum: int = 64) -> Param:
    return Param("n", default, minimum, maximum, "Hidden units n.", integer=True)

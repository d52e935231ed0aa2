"""Question templates: a question over an experiment's parameters whose key a run of the engine computes.

A template draws its parameters from finite ranges, runs the experiment for the draw, and reads the
key (one of the experiment's quantities) from the run; wrong choices come from named wrong ways of
reasoning. Every allowed draw can be checked before a template is saved, because the ranges are finite.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .experiments import EXPERIMENTS, Experiment, ParameterError, Quantity
from .experiments.spec import Param, Run

MAX_DRAWS = 2_000  # allowed draws per template: each one is checked before the template is saved
MAX_CHOICES = 6


@dataclass(frozen=True)
class Range:
    """The values a template parameter may take, and how many decimals show them."""

    name: str
    values: tuple[float, ...]
    decimals: int

    @classmethod
    def from_json(cls, name: str, data: object) -> Range:
        """``{"from": 0.5, "to": 1.5, "step": 0.05, "except": [1]}`` or ``{"values": [1, 2, 5]}``."""
        if not isinstance(data, Mapping):
            raise ParameterError(f"{name}: give a range as {{from, to, step}} or a list as {{values}}.")
        excluded = {Decimal(str(x)) for x in data.get("except", [])}
        try:
            if "values" in data:
                steps = [Decimal(str(x)) for x in data["values"]]
            else:
                low, high, step = (Decimal(str(data[key])) for key in ("from", "to", "step"))
                if step <= 0 or high < low:
                    raise ParameterError(f"{name}: a range needs from ≤ to and a positive step.")
                count = int((high - low) / step) + 1
                if count > MAX_DRAWS:
                    raise ParameterError(f"{name}: the range has {count} values; at most {MAX_DRAWS}.")
                steps = [low + i * step for i in range(count)]
        except (KeyError, ArithmeticError, TypeError, ValueError) as error:
            raise ParameterError(f"{name}: not a range of numbers ({error}).") from None
        kept = [value for value in steps if value not in excluded]
        if not kept:
            raise ParameterError(f"{name}: the range allows no value.")
        decimals = max(max(-value.normalize().as_tuple().exponent, 0) for value in kept)
        return cls(name, tuple(float(value) for value in kept), decimals)

    def show(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class VariantChoice:
    text: str  # Markdown with LaTeX
    value: float
    is_correct: bool
    feedback: str
    rule: str = ""  # the distractor rule it comes from; "" for the key
    misconception: str = ""  # the name of the wrong belief its rule stands for, where the template gives one


@dataclass(frozen=True)
class Variant:
    """One draw of a template, with everything the engine computed for it."""

    params: dict[str, float | int]  # the drawn values, as shown
    shown: dict[str, str]  # the same, formatted for the question's text
    run_params: dict[str, float | int]  # the experiment's parameters for this draw: its plot's too
    key: float
    tolerance: float  # absolute: a response within it is right
    choices: tuple[VariantChoice, ...]  # the key first, then the distractors (a typed one's: maybe none)
    exact: bool = False  # an integer count, stated and graded exactly
    marked_at: tuple[int, float] | None = None  # (panel, x) where its plot draws the key, if it does
    typed: bool = False  # the learner types the number; its other choices are wrong answers to recognise

    @property
    def key_text(self) -> str:
        """The key as a question states it: 0.4305, $2.656 \\times 10^{-5}$, or a count, 983 040."""
        return show_number(self.key, exact=self.exact)

    def as_json(self) -> dict:
        return {
            "params": self.params,
            "shown": self.shown,
            "run_params": self.run_params,
            "key": self.key,
            "tolerance": self.tolerance,
            "exact": self.exact,
            "marked_at": list(self.marked_at) if self.marked_at else None,
        }


def show_number(value: float, *, exact: bool = False) -> str:
    """A number as a question states it: 0.4305, $2.656 \\times 10^{-5}$, or an exact count, 983 040."""
    if exact:
        return f"{int(value):,}".replace(",", "\u202f")  # a narrow no-break space between thousands
    text = f"{value:.4g}"
    if 1e-3 <= abs(value) < 1e4 and "e" not in text:
        return text
    mantissa, exponent = f"{value:.3e}".split("e")
    return rf"${float(mantissa):g} \times 10^{{{int(exponent)}}}$"


@dataclass(frozen=True)
class Template:
    experiment: Experiment
    quantity: Quantity
    ranges: tuple[Range, ...]
    fixed: dict[str, float | int]
    tolerance: float  # relative
    distractors: tuple[str, ...]
    choices: int  # 0 for a numerical question; otherwise how many choices, the key among them
    misconceptions: Mapping[str, str] = field(default_factory=dict)  # rule → the belief's name

    @classmethod
    def from_json(cls, data: object) -> Template:
        """A template as stored with its question; ParameterError names what is wrong."""
        if not isinstance(data, Mapping):
            raise ParameterError("A template is an object with experiment, quantity and params.")
        name = data.get("experiment")
        if name not in EXPERIMENTS:
            raise ParameterError(f"Unknown experiment {name!r}. Known: {', '.join(EXPERIMENTS)}.")
        experiment = EXPERIMENTS[name]
        quantity = experiment.quantity(str(data.get("quantity", "")))
        raw_ranges = data.get("params") or {}
        if not isinstance(raw_ranges, Mapping) or not raw_ranges:
            raise ParameterError("params: name at least one parameter to draw, with its range.")
        ranges = tuple(Range.from_json(key, value) for key, value in raw_ranges.items())
        known = {p.name for p in experiment.params} | {p.name for p in quantity.probes}
        for unknown in [r.name for r in ranges if r.name not in known]:
            raise ParameterError(
                f"{unknown}: not a parameter of {experiment.name} or of its quantity {quantity.name}. "
                f"Known: {', '.join(sorted(known))}."
            )
        missing = [p.name for p in quantity.probes if p.name not in raw_ranges]
        if missing:
            raise ParameterError(f"{missing[0]}: {quantity.name} needs it drawn; give its range.")
        fixed = data.get("fixed") or {}
        tolerance = data.get("tolerance", 0.01)
        if not isinstance(tolerance, int | float) or not 0 <= tolerance < 1:
            raise ParameterError("tolerance: a relative tolerance from 0 to 1 (0.01 is 1%).")
        rules = tuple(data.get("distractors") or ())
        for rule in rules:
            if rule not in quantity.distractors:
                raise ParameterError(
                    f"distractors: {rule!r} is not a rule of {quantity.name}. "
                    f"Known: {', '.join(quantity.distractors) or 'none'}."
                )
        choices = data.get("choices", 0)
        if not isinstance(choices, int) or not (choices == 0 or 2 <= choices <= MAX_CHOICES):
            raise ParameterError(f"choices: 0 for a typed number, or from 2 to {MAX_CHOICES}.")
        if quantity.outcomes and choices != len(quantity.outcomes):
            raise ParameterError(
                f"choices: {quantity.name} is a regime with {len(quantity.outcomes)} outcomes."
            )
        if choices and not quantity.outcomes and len(rules) < choices - 1:
            raise ParameterError(f"distractors: {choices} choices need at least {choices - 1} rules.")
        template = cls(
            experiment,
            quantity,
            ranges,
            dict(fixed),
            float(tolerance),
            rules,
            choices,
            named_beliefs(data, quantity),
        )
        count = math.prod(len(r.values) for r in ranges)
        if count > MAX_DRAWS:
            raise ParameterError(
                f"params: the ranges allow {count:,} draws; at most {MAX_DRAWS:,}, so that each is checked."
            )
        return template

    def draws(self) -> Iterator[dict[str, float | int]]:
        """Every allowed draw, in order."""
        for values in itertools.product(*(r.values for r in self.ranges)):
            yield {r.name: self.typed(r.name, v) for r, v in zip(self.ranges, values, strict=True)}

    def draw(self, rng: random.Random) -> Variant:
        """One variant, drawn uniformly from the allowed ones."""
        return self.variant(self.draw_values(rng))

    def draw_values(self, rng: random.Random) -> dict[str, float | int]:
        """One draw's parameters, without running anything."""
        return {r.name: self.typed(r.name, rng.choice(r.values)) for r in self.ranges}

    def typed(self, name: str, value: float) -> float | int:
        spec = self.param(name)
        return round(value) if spec is not None and spec.integer else value

    def param(self, name: str) -> Param | None:
        for spec in (*self.experiment.params, *self.quantity.probes):
            if spec.name == name:
                return spec
        return None

    def run_params(self, values: Mapping[str, float | int]) -> dict[str, float | int]:
        """The experiment's parameters for a draw: fixed ones, drawn ones, and what the quantity sets."""
        own = {p.name for p in self.experiment.params}
        chosen = dict(self.fixed) | {k: v for k, v in values.items() if k in own}
        return self.experiment.resolve(chosen | self.quantity.run_params(values))

    def variant(self, values: Mapping[str, float | int]) -> Variant:
        """The variant for these drawn values: the experiment run, its key read, its choices made."""
        for probe in self.quantity.probes:
            probe.parse(values[probe.name])  # ParameterError names the probe and its bounds
        run_params = self.run_params(values)
        run = self.runner(run_params)
        key = float(self.quantity.measure(run, values | run_params))
        if not math.isfinite(key):
            raise ParameterError(f"the key is not finite ({key})")
        tolerance = 0.0 if self.quantity.exact else self.tolerance * abs(key)
        shown = {r.name: r.show(values[r.name]) for r in self.ranges}
        return Variant(
            params=dict(values),
            shown=shown,
            run_params=run_params,
            key=key,
            tolerance=tolerance,
            choices=self.choices_for(values | run_params, key),
            exact=self.quantity.exact,
            marked_at=self.marked_at(run, values | run_params),
            typed=not self.choices,
        )

    def marked_at(self, run: Run, values: Mapping) -> tuple[int, float] | None:
        plotted_at = self.quantity.plotted_at
        return plotted_at(run, values) if plotted_at is not None else None

    def choices_for(self, values: Mapping, key: float) -> tuple[VariantChoice, ...]:
        """The key and, in order, the distractors that stand clear of it and of each other.

        A typed question's are its wrong answers worth recognising (any number of them, maybe none),
        so that its feedback can name the reasoning behind a typed mistake.
        """
        if self.quantity.outcomes:
            return tuple(
                VariantChoice(
                    text,
                    index,
                    index == key,
                    feedback,
                    f"outcome-{index}",
                    self.misconceptions.get(f"outcome-{index}", ""),
                )
                for index, (text, feedback) in enumerate(self.quantity.outcomes)
            )
        exact = self.quantity.exact
        chosen = [VariantChoice(show_number(key, exact=exact), key, True, "")]
        for rule in self.distractors:
            distractor = self.quantity.distractors[rule]
            value = float(distractor.value(values))
            if not math.isfinite(value) or any(self.too_close(value, c.value) for c in chosen):
                continue  # too close to the key or to another choice: the next rule is drawn instead
            text = distractor.text or show_number(value, exact=exact)
            chosen.append(
                VariantChoice(
                    text, value, False, distractor.feedback, rule, self.misconceptions.get(rule, "")
                )
            )
            if len(chosen) == self.choices:
                return tuple(chosen)
        if not self.choices:
            return tuple(chosen)
        raise ParameterError(
            f"only {len(chosen)} of the {self.choices} choices stand further apart than the tolerance; "
            "add distractor rules or narrow the ranges"
        )

    def runner(self, run_params: Mapping[str, float | int]) -> Run:
        """The experiment's run for these parameters, made once and shared by whoever asks for it."""
        return functools.partial(
            cached_run, self.experiment.name, json.dumps(dict(run_params), sort_keys=True)
        )

    def too_close(self, a: float, b: float) -> bool:
        """Two choices a learner could not tell apart within the tolerance (relative to the larger)."""
        tolerance = 0.0 if self.quantity.exact else self.tolerance
        return abs(a - b) <= tolerance * max(abs(a), abs(b))

    def problems(self, deadline: float | None = None) -> list[str]:
        """Every allowed draw that falls outside the experiment, has no finite key or too few choices.

        Past ``deadline`` (time.monotonic()) the check stops with a ParameterError naming the widest
        range: a slow experiment's draws cost seconds each, and the check runs in a web request.
        """
        found = []
        for checked, values in enumerate(self.draws()):
            if deadline is not None and time.monotonic() > deadline:
                widest = max(self.ranges, key=lambda r: len(r.values))
                count = math.prod(len(r.values) for r in self.ranges)
                raise ParameterError(
                    f"{widest.name}: checking all {count:,} draws of {self.experiment.name} takes longer "
                    f"than allowed ({checked:,} checked); give {widest.name} fewer than its "
                    f"{len(widest.values)} values"
                )
            try:
                self.variant(values)
            except ParameterError as error:
                found.append(f"{describe(values, self.ranges)}: {error}")
        return found


def named_beliefs(data: Mapping, quantity: Quantity) -> dict[str, str]:
    """The template's ``misconceptions``: which wrong belief each of its rules (or outcomes) stands for."""
    named = data.get("misconceptions") or {}
    if not isinstance(named, Mapping) or not all(isinstance(v, str) and v for v in named.values()):
        raise ParameterError("misconceptions: an object of rule names and misconception names.")
    known = [*quantity.distractors, *(f"outcome-{i}" for i in range(len(quantity.outcomes)))]
    for rule in named:
        if rule not in known:
            raise ParameterError(
                f"misconceptions: {rule!r} is not a rule of {quantity.name}. "
                f"Known: {', '.join(known) or 'none'}."
            )
    return dict(named)


def describe(values: Mapping, ranges: tuple[Range, ...] = ()) -> str:
    """The draw, by its parameters: "rho = 1.00, k = 5"."""
    names = sorted(r.name for r in ranges) if ranges else sorted(values)
    return ", ".join(f"{name} = {values[name]:g}" for name in names if name in values)


@functools.lru_cache(maxsize=256)
def cached_run(name: str, frozen: str):
    """A run, memoised by its parameters: a variant's key, its claim and its choices share one run."""
    return EXPERIMENTS[name].run(json.loads(frozen))

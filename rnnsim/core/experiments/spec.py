"""Named, deterministic experiments with a typed, bounded parameter spec."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    claim: str
    params: tuple[Param, ...]
    runner: Callable[..., Any]

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

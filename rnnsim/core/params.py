"""Behaviour shared by every model's parameter set: a frozen dataclass of named arrays."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields
from typing import Self

import numpy as np


class ParamArrays:
    """Mixin for frozen dataclasses whose fields are all arrays (weights, or gradients shaped like them)."""

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in field_names(type(self))}

    def norm(self) -> float:
        """Global L2 norm over every array, as gradient clipping measures it."""
        return float(np.sqrt(sum(np.vdot(v, v) for v in self.arrays().values())))

    def map(self, fn: Callable[[np.ndarray], np.ndarray]) -> Self:
        return type(self)(**{name: fn(value) for name, value in self.arrays().items()})

    def combine(self, other: Self, fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Self:
        return type(self)(**{name: fn(value, getattr(other, name)) for name, value in self.arrays().items()})

    def flat(self) -> np.ndarray:
        """Every array concatenated into one vector, in field order."""
        return np.concatenate([v.ravel() for v in self.arrays().values()])


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """A parameter class's field names, read once: ``dataclasses.fields`` costs microseconds a call, and
    an SGD step asks for them several times."""
    return tuple(f.name for f in fields(cls))

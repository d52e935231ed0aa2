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

    def map(self, fn: Callable[[np.ndarray], np.ndarray]) -> Self:
        return type(self)(**{name: fn(value) for name, value in self.arrays().items()})

    def flat(self) -> np.ndarray:
        """Every array concatenated into one vector, in field order."""
        return np.concatenate([v.ravel() for v in self.arrays().values()])

    def views(self, vector: np.ndarray) -> Self:
        """Arrays shaped like these that are views into ``vector``, laid out as ``flat()`` lays them:
        a training loop updates every parameter with one vector operation, in place."""
        arrays, start = {}, 0
        for name, value in self.arrays().items():
            arrays[name] = vector[start : start + value.size].reshape(value.shape)
            start += value.size
        return type(self)(**arrays)


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """A parameter class's field names, read once: ``dataclasses.fields`` costs microseconds a call, and
    an SGD step asks for them several times."""
    return tuple(f.name for f in fields(cls))

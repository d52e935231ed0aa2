"""A learner's answer marked on the plot of their variant, beside the simulation's own value.

The mark is not drawn into the image: it is placed over it from the panel frames recorded when the
plot was drawn, so every learner's answer shares one pre-rendered plot and marking costs no render.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .core.plots import LAYOUTS
from .core.templates import show_number


@dataclass(frozen=True)
class AnswerMark:
    """The learner's value at the point of the panel where the plot draws the key."""

    panel: int
    x: float
    y: float

    @classmethod
    def of(cls, variant: dict | None, value: float | None) -> AnswerMark | None:
        """The mark for a stored variant and the learner's number; None where the plot has no such point."""
        at = (variant or {}).get("marked_at")
        if not at or value is None or not math.isfinite(value):
            return None
        return cls(int(at[0]), float(at[1]), float(value))

    @classmethod
    def from_query(cls, text: str) -> AnswerMark:
        """ "0,20,0.35" (panel, x, y), as a page's figure URL carries it; ValueError if it is not that."""
        panel, x, y = text.split(",")
        mark = cls(int(panel), float(x), float(y))
        if mark.panel < 0 or not (math.isfinite(mark.x) and math.isfinite(mark.y)):
            raise ValueError(text)
        return mark

    @property
    def query(self) -> str:
        return f"{self.panel},{self.x:g},{self.y!r}"

    @property
    def value_text(self) -> str:
        return show_number(self.y)


@dataclass(frozen=True)
class Placement:
    """Where the mark lands in one layout's figure, in its CSS pixels, and whether it is off the scale."""

    layout: str
    width: int
    height: int
    cx: float
    cy: float
    off_scale: str  # "", "above" or "below": then it sits on that edge of the panel

    @property
    def triangle(self) -> str:
        """An arrowhead on the edge, pointing the way the value lies, as SVG polygon points."""
        tip = -9 if self.off_scale == "above" else 9
        corners = ((self.cx - 7, self.cy), (self.cx + 7, self.cy), (self.cx, self.cy + tip))
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)


def fraction(value: float, limits: list[float], scale: str) -> float | None:
    """How far along an axis a value lies (0 at its low limit, 1 at its high), as matplotlib places it."""
    low, high = limits
    if scale == "log":
        if value <= 0:
            return -math.inf
        value, low, high = math.log10(value), math.log10(low), math.log10(high)
    elif scale != "linear":
        return None
    return (value - low) / (high - low)


def placements(plot, mark: AnswerMark) -> list[Placement]:
    """The mark in each layout of a rendered plot; none for a plot drawn before frames were recorded."""
    found = []
    for layout in LAYOUTS:
        frames = (plot.frames or {}).get(layout.name) or []
        if mark.panel >= len(frames):
            continue
        frame = frames[mark.panel]
        fx = fraction(mark.x, frame["x"], frame["xscale"])
        fy = fraction(mark.y, frame["y"], frame["yscale"])
        if fx is None or fy is None or not 0 <= fx <= 1:
            continue
        off_scale = "above" if fy > 1 else ("below" if fy < 0 else "")
        fy = min(max(fy, 0.0), 1.0)
        left, bottom, right, top = frame["box"]
        width, height = plot.sizes[layout.name]
        cx = width * (left + fx * (right - left))
        cy = height * (1 - (bottom + fy * (top - bottom)))
        found.append(Placement(layout.name, width, height, cx, cy, off_scale))
    return found

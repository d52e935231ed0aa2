"""Tick locators that hand matplotlib only the ticks it will draw.

A locator returns ticks past both ends of the view (a log locator a whole decade each side, eight
minor ticks a decade), and matplotlib builds a Tick for every one, five artists each, before it drops
those outside the view. On a log axis spanning one or two decades that was most of the ticks built,
and building them was a third of drawing bptt-cost. Dropping them first draws the same picture.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import Locator, NullLocator

# A tick this close to the view's edge (as a share of the view, in the axis's scale) is kept: wider than
# matplotlib's own test for drawing one, so no tick it would draw is ever dropped.
EDGE_TOLERANCE = 1e-6


class VisibleTicks(Locator):
    """Another locator's ticks, less those outside the axis's view; the rest is the other locator's."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.locator.set_axis(axis)

    def __call__(self) -> np.ndarray:
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        locs = np.asarray(self.locator.tick_values(vmin, vmax))
        transform = self.axis.get_transform() if self.axis is not None else None
        scaled = transform.transform(locs) if transform is not None else locs
        low, high = sorted(transform.transform([vmin, vmax]) if transform is not None else (vmin, vmax))
        margin = (high - low) * EDGE_TOLERANCE
        with np.errstate(invalid="ignore"):  # a log scale maps ticks at or below 0 to nan: not drawn
            return locs[(scaled >= low - margin) & (scaled <= high + margin)]

    def nonsingular(self, v0: float, v1: float) -> tuple[float, float]:
        return self.locator.nonsingular(v0, v1)

    def view_limits(self, vmin: float, vmax: float) -> tuple[float, float]:
        return self.locator.view_limits(vmin, vmax)


def visible_ticks_only(figure: Figure) -> None:
    """Wrap every axis's locators, once the plot has placed and tuned them."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for get, set_ in (
                (axis.get_major_locator, axis.set_major_locator),
                (axis.get_minor_locator, axis.set_minor_locator),
            ):
                locator = get()
                if not isinstance(locator, NullLocator | VisibleTicks):
                    set_(VisibleTicks(locator))

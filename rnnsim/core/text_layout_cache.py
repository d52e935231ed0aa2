"""One cache of text layouts for every figure, so a label is measured once per process, not per call.

matplotlib lays a Text out (each line's size from the font's metrics, the box after rotation and
alignment) on every call of ``Text._get_layout``, and one draw calls it several times for each text:
twice in each of a constrained layout's two passes, then to draw it. On a phone's stacked plot that
was a fifth of a lab redraw, and the same tick labels and axis titles come back in every redraw.
A layout depends only on the kind and resolution of the renderer measuring it, the figure's dpi,
the text and its properties, and the hinting settings, which together are the key; a cached layout
is handed out as a copy, since matplotlib's callers may move the box they are given.
"""

from __future__ import annotations

import matplotlib
from matplotlib.text import Text

LAYOUT_CACHE_SIZE = 4096  # layouts kept; a plot has a few dozen texts, most shared by every redraw

_layout_uncached = Text._get_layout
_layouts: dict[tuple, tuple] = {}


def layout_key(text: Text, renderer: object) -> tuple:
    """Everything ``Text._get_layout`` reads: the same key, the same layout."""
    font = text.get_fontproperties()
    return (
        type(renderer),
        getattr(renderer, "dpi", None),
        text.get_figure(root=True).dpi,
        text._get_wrapped_text(),
        (tuple(font.get_family()), font.get_style(), font.get_variant(), font.get_weight()),
        (font.get_stretch(), font.get_size(), font.get_file(), font.get_math_fontfamily()),
        text.get_usetex(),
        text.get_parse_math(),
        text._linespacing,
        text._get_multialignment(),
        text.get_rotation(),
        text.get_rotation_mode(),
        text.get_horizontalalignment(),
        text.get_verticalalignment(),
        matplotlib.rcParams["text.hinting"],
        matplotlib.rcParams["text.hinting_factor"],
    )


def _get_layout(self: Text, renderer: object) -> tuple:
    key = layout_key(self, renderer)
    layout = _layouts.get(key)
    if layout is None:
        layout = _layout_uncached(self, renderer)
        if len(_layouts) >= LAYOUT_CACHE_SIZE:
            del _layouts[next(iter(_layouts))]  # the oldest
        _layouts[key] = layout
    box, lines, corner = layout
    return box.frozen(), list(lines), corner  # a Bbox of its own: callers may translate theirs


def share_text_layouts() -> None:
    """Route every Text's layout through the shared cache."""
    Text._get_layout = _get_layout

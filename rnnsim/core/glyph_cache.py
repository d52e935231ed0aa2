"""One cache of glyph outlines for every SVG, so a label's glyphs are traced once per process, not per file.

The SVG backend draws text as paths. For every text it lays the string out with FreeType and, for
each glyph the file has not defined yet, asks FreeType for the glyph's outline; every new SVG starts
with no glyph defined, so every lab redraw traced all its tick labels' and titles' glyphs again (a
fifth of writing the SVG). A string's glyphs and their places depend only on the font (matplotlib's
SVG fonts are always at one fixed size), the string and its shaping options, so those are the key;
what the file has already defined is still decided per file, so each SVG defines every glyph it uses
exactly once, as before.
"""

from __future__ import annotations

import functools
from collections import OrderedDict

from matplotlib.textpath import TextToPath

GLYPH_CACHE_SIZE = 4096  # strings kept; a plot has a few dozen, most shared by every redraw

_glyphs_uncached = TextToPath.get_glyphs_with_font
_TEXT_TO_PATH = TextToPath()  # stateless for this call: the font passed in carries the size


@functools.lru_cache(maxsize=GLYPH_CACHE_SIZE)
def _glyphs_of(font: object, s: str, features: tuple | None, language: object) -> tuple:
    """A string's glyphs and places, and every outline it uses (the key keeps its font alive)."""
    return _glyphs_uncached(_TEXT_TO_PATH, font, s, features=features, language=language)


def _get_glyphs_with_font(
    self: TextToPath,
    font: object,
    s: str,
    glyph_map: dict | None = None,
    return_new_glyphs_only: bool = False,
    *,
    features: object = None,
    language: object = None,
) -> tuple:
    positions, outlines, rects = _glyphs_of(font, s, tuple(features) if features else None, language)
    glyph_map = OrderedDict() if glyph_map is None else glyph_map
    new = OrderedDict() if return_new_glyphs_only else glyph_map
    for glyph_repr, *_ in positions:
        if glyph_repr not in glyph_map:
            new[glyph_repr] = outlines[glyph_repr]
    return list(positions), new, list(rects)


def share_glyphs() -> None:
    """Route every SVG's text-to-path conversion through the shared cache."""
    TextToPath.get_glyphs_with_font = _get_glyphs_with_font

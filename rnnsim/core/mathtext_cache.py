"""One mathtext cache for every renderer, so a $...$ label is parsed once per process, not once per file.

matplotlib caches parsed mathtext per parser, and every renderer (each SVG or PNG it saves) makes a
parser of its own, so every save parsed every math label again with pyparsing: a third of the time it
took to write a lab's SVG. A parse depends only on the parser's output type ("vector" or "raster") and
on the cache's key (text, dpi, font, antialiasing, hinting), so one cache shared by all parsers returns
what each would have computed itself.
"""

from __future__ import annotations

import functools

from matplotlib.mathtext import MathTextParser

PARSE_CACHE_SIZE = 2048  # parsed labels kept; a plot has up to a dozen, most shared by every run

_parse_uncached = MathTextParser._parse_cached.__wrapped__  # matplotlib's own lru_cache, unwrapped
_PARSERS = {"vector": MathTextParser("path"), "raster": MathTextParser("agg")}


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_shared(output_type: str, *key: object) -> object:
    return _parse_uncached(_PARSERS[output_type], *key)


def _parse_cached(self: MathTextParser, *key: object) -> object:
    return _parse_shared(self._output_type, *key)


def share_mathtext_cache() -> None:
    """Route every MathTextParser's cache through the shared one."""
    MathTextParser._parse_cached = _parse_cached

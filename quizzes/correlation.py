"""How item analysis relates an answer to the rest of the attempt: Pearson's r, once enough answers count."""

from __future__ import annotations

import math

MIN_ATTEMPTS = 5  # answers (in finished attempts) before a correlation with the score means anything


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None where either side does not vary (everyone scored the same)."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx, syy = sum((x - mean_x) ** 2 for x in xs), sum((y - mean_y) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None

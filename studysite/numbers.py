"""Numbers as learners type them: 2.7e-5, 2.7E-5, 0.000027, 2.7×10^-5, 2.7·10⁻⁵, with + or − in front."""

from __future__ import annotations

import math
import re

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
# Minus signs people paste: U+2212 minus, en dash, figure dash, small and fullwidth hyphen-minus.
MINUS_SIGNS = str.maketrans(dict.fromkeys(map(chr, (0x2212, 0x2013, 0x2012, 0xFE63, 0xFF0D)), "-"))
SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
PLAIN = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
TIMES_TEN = re.compile(r"(?:(?P<mantissa>\d+(?:\.\d*)?|\.\d+)[×x*·⋅])?10(?:\^|\*\*)(?P<power>[+-]?\d+)")


def parse_number(text: str) -> float | None:
    """The number a learner typed, or None if it is not one (so it is not graded, and they are told)."""
    cleaned = text.strip().translate(MINUS_SIGNS).replace("\u202f", "").replace(" ", "")
    cleaned = SUPERSCRIPT_RUN.sub(lambda run: "^" + run[0].translate(SUPERSCRIPTS), cleaned)  # 10⁻⁵ is 10^-5
    sign = -1.0 if cleaned.startswith("-") else 1.0
    cleaned = cleaned[1:] if cleaned[:1] in "+-" else cleaned
    cleaned = cleaned.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d*)?", cleaned) else cleaned
    if PLAIN.fullmatch(cleaned):
        value = float(cleaned)
    elif match := TIMES_TEN.fullmatch(cleaned):
        value = float(f"{match['mantissa'] or 1}e{match['power']}")  # exact as typed, not a product
    else:
        return None
    return sign * value if math.isfinite(value) else None


def within_tolerance(value: float, target: float, tolerance: float) -> bool:
    """Within ± tolerance of the target, allowing for the rounding of the numbers themselves."""
    return abs(value - target) <= tolerance + 1e-12 * max(abs(target), abs(value))

"""What-if simulations on the site's side: picked by name in admin, validated, and their plot specs."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .core.whatifs import WHATIFS, WhatIf


def validate_whatif(value: str) -> None:
    if value and value not in WHATIFS:
        raise ValidationError(
            f"No what-if simulation {value!r}. Known: {', '.join(WHATIFS)}.", code="unknown_whatif"
        )


def whatif_choices() -> list[tuple[str, str]]:
    return [("", "none")] + [(name, f"{whatif.belief} ({name})") for name, whatif in WHATIFS.items()]


def whatif_of(name: str | None) -> WhatIf | None:
    return WHATIFS.get(name or "")

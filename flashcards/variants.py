"""A template card as one review shows it: a fresh variant each time the learner reviews the card.

FSRS schedules the card, the concept, not the variant. The variant is drawn from the learner's count
of reviews of the card, so a reload shows the same one, undoing a rating brings it back, and the next
review draws another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from rnnsim.variants import draw, fill, filled_copy
from studysite.numbers import parse_number, within_tolerance

from .models import Card, Review


def shown(card: Card, user: AbstractBaseUser) -> Card:
    """The card itself, or for a template an unsaved copy filled in with this review's variant."""
    if not card.template:
        return card
    reviews = Review.objects.filter(user=user, card=card, undone_at__isnull=True).count()
    return filled_with(card, f"card:{card.pk}:{user.pk}:{reviews}")


def sample(card: Card) -> Card:
    """The card as a deck page or cram shows it to anyone: a template's one fixed sample variant."""
    return filled_with(card, f"card:{card.pk}:sample") if card.template else card


def filled_with(card: Card, seed: str) -> Card:
    """An unsaved copy of a template card with the seed's variant's numbers and plot."""
    return filled_copy(card, draw(card.template, seed), ("front", "back"))


@dataclass(frozen=True)
class TypedCheck:
    """What the back says of a number the learner typed before flipping a numerical template card."""

    response: str
    right: bool | None  # None: not a number
    key: str
    because: str = ""  # a wrong number a named wrong reasoning gives: why it is wrong (Markdown)

    @property
    def message(self) -> str:
        if self.right is None:
            return f"“{self.response}” is not a number; the engine's answer is {self.key}."
        verdict = "within the tolerance of" if self.right else "not within the tolerance of"
        return f"Your {self.response} is {verdict} the engine's {self.key}."


def check_typed(card: Card, response: str) -> TypedCheck | None:
    """Grade a typed answer against the variant's key, if the card is a numerical template."""
    variant = card.variant
    response = " ".join(response.split())[:100]
    if variant is None or not variant.typed or not response:
        return None
    key = variant.key_text
    value = parse_number(response)
    if value is None:
        return TypedCheck(response, None, key)
    if within_tolerance(value, variant.key, variant.tolerance):
        return TypedCheck(response, True, key)
    relative = variant.tolerance / abs(variant.key) if variant.key else 0.0
    reasoning = next(
        (w for w in variant.choices[1:] if within_tolerance(value, w.value, relative * abs(w.value))), None
    )
    return TypedCheck(response, False, key, fill(reasoning.feedback, variant) if reasoning else "")

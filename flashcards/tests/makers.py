"""Builders for flashcard test data."""

from __future__ import annotations

from itertools import count

from django.contrib.auth.models import User

from flashcards.models import Card, Deck

_serial = count(1)


def make_deck(*, cards: int = 5, **overrides) -> Deck:
    n = next(_serial)
    deck = Deck.objects.create(**{"title": f"Deck {n}", "slug": f"deck-{n}", **overrides})
    for i in range(cards):
        Card.objects.create(deck=deck, front=f"Front {i}", back=f"Back {i}", tags="t")
    return deck


def make_user(name: str = "") -> User:
    return User.objects.create_user(name or f"learner{next(_serial)}", password="a-long-password-1")


POWER_TEMPLATE = {  # the seed's power-law template: 380 allowed draws
    "experiment": "rho-power-law",
    "quantity": "ratio",
    "params": {
        "rho": {"from": 0.5, "to": 1.5, "step": 0.05, "except": [1]},
        "k": {"from": 10, "to": 100, "step": 5},
    },
    "tolerance": 0.01,
}


def make_template_card(template: dict = POWER_TEMPLATE) -> Card:
    """The only card of a new deck: a template, so it is always the card studied next."""
    return Card.objects.create(
        deck=make_deck(cards=0),
        front="At $\\rho = {{rho}}$, what share of the gradient is left ${{k}}$ steps back?",
        back="$\\rho^{k}$ = **{{key}}**",
        template=template,
    )

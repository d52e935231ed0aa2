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

"""Deck list and the searchable deck page, with and without htmx."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from flashcards.models import Card, Deck

pytestmark = pytest.mark.usefixtures("seed")


def test_deck_list_shows_card_counts(client: Client) -> None:
    html = client.get(reverse("deck-list")).content.decode()
    assert "RNN Gradients and Backpropagation" in html
    assert "42 cards" in html


def test_deck_page_shows_every_card_with_math(client: Client) -> None:
    response = client.get(reverse("deck-detail", args=["rnn-gradients-bptt"]))
    html = response.content.decode()
    assert html.count('class="flashcard"') == 42
    assert "<math" in html
    assert "<html" in html


def test_search_filters_cards_by_every_word(client: Client) -> None:
    response = client.get(reverse("deck-detail", args=["rnn-gradients-bptt"]), {"q": "norm clipping"})
    html = response.content.decode()
    expected = Card.objects.search("norm clipping").count()
    assert 0 < expected < 42
    assert html.count('class="flashcard"') == expected
    assert f"{expected} of 42 cards match" in html


def test_htmx_search_returns_only_the_card_list(client: Client) -> None:
    response = client.get(
        reverse("deck-detail", args=["rnn-gradients-bptt"]), {"q": "LSTM"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="card-list"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_deck_page_query_count_is_constant(client: Client, django_assert_max_num_queries) -> None:
    deck = Deck.objects.get()
    for i in range(20):
        Card.objects.create(deck=deck, front=f"extra {i}", back="b", tags="extra")
    client.get(reverse("deck-detail", args=[deck.slug]))  # renders the cards' plots once
    with django_assert_max_num_queries(5):
        client.get(reverse("deck-detail", args=[deck.slug]))


def test_unknown_deck_is_404(client: Client) -> None:
    assert client.get(reverse("deck-detail", args=["nope"])).status_code == 404

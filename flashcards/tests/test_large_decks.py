"""A deck of thousands of cards stays cheap to show: pages of cards, HTML drawn once, capped fields."""

from __future__ import annotations

import pytest
from django.test import Client

from flashcards import importing
from flashcards.models import Card
from flashcards.views import CARDS_PER_PAGE
from studysite.exchange import ImportRejected
from studysite.templatetags import markdown as markdown_tags

from .makers import make_deck

pytestmark = pytest.mark.django_db


def big_deck(cards: int):
    deck = make_deck(cards=0)
    upload = "front,back,tags\n" + "".join(f"Front {i} $x_{{{i}}}$,Back {i},t{i % 7}\n" for i in range(cards))
    importing.import_deck(upload.encode(), fmt="csv", deck=deck)
    return deck


def test_the_deck_page_shows_one_page_and_search_covers_the_whole_deck(client: Client) -> None:
    deck = big_deck(130)
    html = client.get(deck.get_absolute_url()).content.decode()
    assert html.count('class="flashcard"') == CARDS_PER_PAGE
    assert "130 cards. Showing 1\u201350." in html
    assert "Page 1 of 3" in html
    last = client.get(deck.get_absolute_url(), {"page": 3}).content.decode()
    assert last.count('class="flashcard"') == 30
    assert "Front 129" in last
    found = client.get(deck.get_absolute_url(), {"q": "Front 127"}).content.decode()
    assert "1 of 130 cards match" in found
    assert "Front 127" in found
    assert client.get(deck.get_absolute_url(), {"page": "999"}).status_code == 200  # the last page


def test_card_html_is_drawn_once_when_saved_not_per_view(client: Client, monkeypatch) -> None:
    deck = big_deck(3)
    card = deck.cards.get(front__startswith="Front 1 ")
    assert "<math" in card.front_html
    drawn = []
    original = markdown_tags.render_markdown
    monkeypatch.setattr(markdown_tags, "render_markdown", lambda text: drawn.append(text) or original(text))
    html = client.get(deck.get_absolute_url()).content.decode()
    assert card.front_html in html
    assert not {c.front for c in deck.cards.all()} & set(drawn)
    assert not {c.back for c in deck.cards.all()} & set(drawn)


def test_editing_a_card_redraws_it() -> None:
    card = big_deck(1).cards.get()
    card.front = "Now **bold**"
    card.save(update_fields=["front"])
    card.refresh_from_db()
    assert card.front_html == "<p>Now <strong>bold</strong></p>\n"


def test_a_huge_formula_is_refused_at_import_naming_the_line() -> None:
    deck = make_deck(cards=0)
    formula = "$" + "x+" * 50_000 + "x$"
    with pytest.raises(ImportRejected) as rejected:
        importing.import_deck(f"front,back\nok,fine\n{formula},back\n".encode(), fmt="csv", deck=deck)
    problems = rejected.value.problems
    assert any(p.startswith("line 3, field front:") and "10000 characters" in p for p in problems), problems
    small = "$" + "x+" * 1_500 + "x$"
    with pytest.raises(
        ImportRejected, match="line 2, field back: A formula has 3001 characters; the limit is 2000"
    ):
        importing.import_deck(f"front,back\nok,{small}\n".encode(), fmt="csv", deck=deck)
    assert not Card.objects.exists()


def test_admin_refuses_an_oversized_card(admin_client) -> None:
    deck = make_deck(cards=1)
    card = deck.cards.get()
    response = admin_client.post(
        f"/admin/flashcards/card/{card.pk}/change/",
        {"deck": deck.pk, "front": "$" + "y" * 3_000 + "$", "back": "b", "tags": ""},
    )
    assert response.status_code == 200
    assert "limit is 2000" in response.content.decode()
    card.refresh_from_db()
    assert card.front == "Front 0"

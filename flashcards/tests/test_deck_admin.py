"""Instructors manage decks in admin: cards inline, scheduling settings, bulk move and tag."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from flashcards.models import Card

from .makers import make_deck

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "a-long-password-1"))
    return client


def test_bulk_move_to_another_deck(staff_client: Client) -> None:
    source, target = make_deck(cards=3), make_deck(cards=0)
    ids = list(source.cards.values_list("pk", flat=True)[:2])
    response = staff_client.post(
        reverse("admin:flashcards_card_changelist"),
        {"action": "move_to_deck", "_selected_action": ids, "deck": target.pk},
        follow=True,
    )
    assert "Moved 2 cards to" in response.content.decode()
    assert set(target.cards.values_list("pk", flat=True)) == set(ids)


def test_bulk_tag_adds_once(staff_client: Client) -> None:
    deck = make_deck(cards=2)
    ids = list(deck.cards.values_list("pk", flat=True))
    for _ in range(2):
        staff_client.post(
            reverse("admin:flashcards_card_changelist"),
            {"action": "add_tag", "_selected_action": ids, "tag": "exam"},
        )
    assert [c.tags for c in Card.objects.filter(pk__in=ids)] == ["t exam", "t exam"]


def test_bulk_actions_without_their_input_explain_and_change_nothing(staff_client: Client) -> None:
    deck = make_deck(cards=1)
    ids = list(deck.cards.values_list("pk", flat=True))
    response = staff_client.post(
        reverse("admin:flashcards_card_changelist"),
        {"action": "move_to_deck", "_selected_action": ids},
        follow=True,
    )
    assert "Choose a deck" in response.content.decode()
    response = staff_client.post(
        reverse("admin:flashcards_card_changelist"),
        {"action": "add_tag", "_selected_action": ids},
        follow=True,
    )
    assert "Type a tag" in response.content.decode()
    assert Card.objects.get().tags == "t"


def test_deck_admin_has_scheduling_settings_and_cards_inline(staff_client: Client) -> None:
    deck = make_deck(cards=2)
    html = staff_client.get(reverse("admin:flashcards_deck_change", args=[deck.pk])).content.decode()
    for field in ("new_cards_per_day", "reviews_per_day", "desired_retention", "cards-0-front"):
        assert f'name="{field}"' in html


def test_admin_exports_selected_decks_as_a_zip(staff_client: Client) -> None:
    import io
    import zipfile

    decks = [make_deck(cards=1), make_deck(cards=2)]
    for action, ext in (("export_anki", "apkg"), ("export_json", "json")):
        response = staff_client.post(
            reverse("admin:flashcards_deck_changelist"),
            {"action": action, "_selected_action": [d.pk for d in decks]},
        )
        assert response["Content-Type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert sorted(names) == sorted(f"{d.slug}.{ext}" for d in decks)

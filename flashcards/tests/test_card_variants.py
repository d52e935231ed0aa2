"""Cards the simulation writes: every review a fresh variant of one card, which FSRS schedules as one."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from flashcards import exporting, importing, variants
from flashcards.models import Card, Deck, Review, Schedule
from rnnsim.core.templates import show_number
from rnnsim.variants import problems_of
from studysite.exchange import ImportRejected

from .makers import POWER_TEMPLATE, make_template_card, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def template_card() -> Card:
    return make_template_card()


@pytest.fixture
def learner(client: Client):
    user = make_user()
    client.force_login(user)
    return user


def front(client: Client, card: Card) -> str:
    html = client.get(reverse("deck-study", args=[card.deck.slug])).content.decode()
    return re.search(r'<div class="study-face study-front prose">(.*?)</div>', html, re.DOTALL)[1]


def test_each_review_shows_a_fresh_variant_and_a_reload_the_same(client, learner, template_card) -> None:
    card = template_card
    seen = []
    for _ in range(4):
        shown = front(client, card)
        assert front(client, card) == shown  # a reload keeps this review's variant
        assert "{{" not in shown
        seen.append(shown)
        client.post(reverse("deck-study-rate", args=[card.deck.slug, card.pk]), {"rating": "1"})
    assert len(set(seen)) >= 3  # a pool of 40: four reviews nearly always show four variants
    assert Schedule.objects.filter(card=card, user=learner).count() == 1  # FSRS schedules the card
    assert Review.objects.filter(card=card, user=learner).count() == 4


def test_the_back_gives_the_variants_key_and_checks_a_typed_number(client, learner, template_card) -> None:
    card = template_card
    variant = variants.shown(card, learner).variant
    url = reverse("deck-study-answer", args=[card.deck.slug, card.pk])
    right = client.get(url, {"response": f"{variant.key * 1.005:.5e}"}).content.decode()
    assert "within the tolerance of the engine" in right
    assert show_number(variant.key).strip("$").split("\\")[0].strip() in right
    wrong = client.get(url, {"response": f"{variant.key * 2:.5e}"}).content.decode()
    assert "not within the tolerance" in wrong
    nonsense = client.get(url, {"response": "lots"}).content.decode()
    assert "is not a number" in nonsense
    plain = client.get(url).content.decode()
    assert "tolerance" not in plain  # typing first is an option, not a requirement
    assert "<figure" in plain  # the back's plot is this variant's run


def test_the_front_offers_an_optional_typed_answer_for_a_numerical_template(
    client, learner, template_card
) -> None:
    html = client.get(reverse("deck-study", args=[template_card.deck.slug])).content.decode()
    assert 'name="response"' in html
    assert "(optional)" in html


def test_undoing_a_rating_brings_the_same_variant_back(client, learner, template_card) -> None:
    card = template_card
    before = front(client, card)
    client.post(reverse("deck-study-rate", args=[card.deck.slug, card.pk]), {"rating": "3"})
    client.post(reverse("deck-study-undo", args=[card.deck.slug]))
    assert front(client, card) == before


def test_files_hold_a_template_card_as_five_variants_and_json_keeps_the_template(template_card) -> None:
    deck: Deck = template_card.deck
    rows = exporting.card_rows(deck)
    assert len(rows) == 5
    assert len({row.guid for row in rows}) == 5
    assert [row.guid for row in exporting.card_rows(deck)] == [row.guid for row in rows]
    assert all("{{" not in row.front + row.back for row in rows)
    assert exporting.export_json(deck)["cards"][0]["template"] == template_card.template


@pytest.mark.usefixtures("seed")
def test_the_seed_deck_has_template_cards_that_draw() -> None:
    cards = Card.objects.exclude(template__isnull=True)
    assert cards.count() >= 4
    user = make_user()
    for card in cards:
        shown = variants.shown(card, user)
        assert "{{" not in shown.front + shown.back
        assert shown.plot["experiment"] == card.template["experiment"]


@override_settings(STUDYSITE_IMPORT_TEMPLATE_SECONDS=0)
def test_a_deck_files_templates_share_one_checking_budget_and_nothing_is_imported_past_it() -> None:
    problems_of.cache_clear()
    data = exporting.export_json(make_template_card().deck)
    data["deck"] = {key: value for key, value in data["deck"].items() if key != "guid"} | {"slug": "copy"}
    data["cards"] = [card | {"guid": ""} for card in data["cards"] if card.get("template")]
    with pytest.raises(ImportRejected) as rejected:
        importing.import_deck(json.dumps(data).encode(), fmt="json")
    assert len(rejected.value.problems) == len(data["cards"]) == 1
    assert all("takes longer than allowed" in problem for problem in rejected.value.problems)
    assert not Deck.objects.filter(slug="copy").exists()


def test_a_typed_number_a_named_wrong_reasoning_gives_says_why_on_the_back() -> None:
    card = make_template_card(template=POWER_TEMPLATE | {"distractors": ["k-times", "inverse-power"]})
    for seed in range(20):
        filled = variants.filled_with(card, f"seed {seed}")
        rules = {choice.rule: choice for choice in filled.variant.choices}
        if "k-times" in rules:
            break
    check = variants.check_typed(filled, f"{rules['k-times'].value:.6g}")
    assert check.right is False
    assert "the factors compound, they do not add up" in check.because
    assert variants.check_typed(filled, "123456").because == ""
    assert variants.check_typed(filled, f"{filled.variant.key:.6g}").right

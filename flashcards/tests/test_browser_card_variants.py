"""A template card in Chromium: each review a new variant, a typed number checked on the back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from flashcards import variants
from flashcards.models import Review

from .makers import make_template_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_review_of_a_template_card_draws_new_numbers(page: Page, live_server) -> None:
    card = make_template_card()
    user = User.objects.create_user("kim", password="a-long-password-1")
    page.goto(f"{live_server.url}/accounts/login/?next=/decks/{card.deck.slug}/study/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill("a-long-password-1")
    page.keyboard.press("Enter")
    fronts = []
    for review in range(3):
        front = page.locator(".study-front")
        expect(front).to_be_visible()
        fronts.append(front.inner_text())
        key = variants.shown(card, user).variant.key
        answer = page.get_by_label("Your answer, if you want to check it")
        answer.fill(f"{key * 1.004:.4e}")
        answer.press("Enter")
        expect(page.locator(".typed-check")).to_contain_text("within the tolerance of the engine")
        expect(page.locator(".study-card-body figure img")).to_be_visible()
        page.get_by_role("button", name="Again").click()
        expect(page.locator(".typed-check")).to_have_count(0)  # the next review's front, not this back
        assert Review.objects.filter(card=card, user=user).count() == review + 1
    assert len(set(fronts)) >= 2  # a pool of 40: three reviews repeat a variant 1 time in 800

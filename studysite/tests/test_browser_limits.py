"""The bounds as a learner meets them in Chromium: messages in place, Start over, pages of cards."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from flashcards.models import Card
from flashcards.tests.makers import make_deck
from quizzes.tests.browsing import QUESTION_URL, start_and_answer_first_question_correctly

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db(transaction=True)
def test_a_rate_limited_lab_says_so_in_place(page: Page, live_server, debug: bool) -> None:
    # Rate windows are aligned to the clock: per minute, a test crossing a minute got a fresh window (flaky).
    with override_settings(LAB_RENDERS_PER_CLIENT="1/h", DEBUG=debug):
        page.goto(f"{live_server.url}/lab/rho-power-law/")  # the one render this minute allows
        expect(page.locator("#lab-result img")).to_be_visible()
        page.evaluate("window.sameDocument = true")
        page.locator("#param-rho-slider").fill("1.2")
        alert = page.locator("#lab-result [role=alert]")
        expect(alert).to_contain_text("many new simulations")
        expect(alert).to_contain_text("Try again in")
        assert page.evaluate("window.sameDocument === true")  # the page stayed; only the result changed
        expect(page.locator("h1")).to_have_text("Gradient norm against distance in time")


@pytest.mark.usefixtures("live_seed")
def test_start_over_abandons_the_attempt_and_says_what_that_means(page: Page, live_server) -> None:
    attempt = start_and_answer_first_question_correctly(page, live_server)
    expect(page.locator(".feedback")).to_be_visible()
    page.goto(f"{live_server.url}/quizzes/rnn-gradients-bptt/")
    expect(page.get_by_role("link", name="Resume your attempt")).to_be_visible()
    expect(page.locator("#start-over-note")).to_contain_text("You have answered 1 of 22 questions")
    page.get_by_role("button", name="Start over").click()
    expect(page).to_have_url(re.compile(r"/attempts/[0-9a-f-]+/questions/\d+/$"))
    assert QUESTION_URL.search(page.url)["attempt"] != str(attempt.public_id)
    attempt.refresh_from_db()
    assert attempt.abandoned
    page.goto(f"{live_server.url}/progress/")
    expect(page.locator("table.attempts")).to_contain_text("Abandoned")


@pytest.mark.django_db(transaction=True)
def test_deck_pages_turn_in_place_and_search_reaches_every_page(page: Page, live_server) -> None:
    deck = make_deck(cards=0)
    Card.objects.bulk_create(
        [
            Card(deck=deck, front=f"Front {n}", back=f"Back {n}", front_html=f"<p>Front {n}</p>")
            for n in range(60)
        ]
    )
    page.goto(f"{live_server.url}{deck.get_absolute_url()}")
    expect(page.locator(".flashcard")).to_have_count(50)
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".pager")).to_contain_text("Page 2 of 2")
    expect(page.locator(".flashcard")).to_have_count(10)
    assert "page=2" in page.url
    assert page.evaluate("window.sameDocument === true")
    page.get_by_label("Search cards").fill("Front 59")
    expect(page.locator("#card-list .counts")).to_contain_text("1 of 60 cards match")
    expect(page.locator(".flashcard")).to_contain_text("Front 59")

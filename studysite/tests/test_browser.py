"""The foundation in a real headless Chromium: navigation, notes and rendered math."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]


def test_home_to_study_set_to_notes_with_rendered_math(page: Page, live_server) -> None:
    page.goto(live_server.url)
    page.get_by_role("link", name="RNN Gradients and Backpropagation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RNN Gradients and Backpropagation")
    page.get_by_role("link", name="Read the notes").click()
    expect(page.get_by_role("heading", name="Exploding gradients", exact=True)).to_be_visible()

    block = page.locator('#vanilla-rnn-update math[display="block"]').first
    expect(block).to_be_visible()
    box = block.bounding_box()
    assert box is not None
    assert box["height"] > 30  # laid out as math, two rows
    assert box["width"] > 100
    assert page.evaluate("document.fonts.check('16px \"Latin Modern Math\"')")
    page.evaluate("document.fonts.ready")
    font = block.evaluate("el => getComputedStyle(el).fontFamily")
    assert "Latin Modern Math" in font
    assert "$$" not in page.locator("main").inner_text()


def test_deck_search_updates_the_list_in_place(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/decks/rnn-gradients-bptt/")
    cards = page.locator(".flashcard")
    expect(cards).to_have_count(42)
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Search cards").fill("LSTM")
    expect(page.locator("#card-list .counts")).to_contain_text("cards match")
    assert 0 < cards.count() < 42
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the list, no page load
    assert "q=LSTM" in page.url

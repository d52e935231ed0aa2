"""Reviewing five cards in a real headless Chromium by keyboard only, then checking the schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from flashcards.models import Review, Schedule

from .makers import make_deck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_five_cards_by_keyboard_only(page: Page, live_server, settings) -> None:
    settings.FSRS_FUZZING = False
    deck = make_deck(cards=5)
    User.objects.create_user("kim", password="a-long-password-1")
    page.goto(f"{live_server.url}/accounts/login/?next=/decks/{deck.slug}/study/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill("a-long-password-1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Study")
    page.wait_for_load_state()  # study.js is deferred: keys pressed before it runs are lost
    ratings = ["4", "3", "1", "4", "2"]
    for i, key in enumerate(ratings):
        expect(page.locator(".study-front")).to_contain_text(f"Front {i}")
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("Space")
        expect(page.locator(".study-back")).to_contain_text(f"Back {i}")
        page.keyboard.press(key)
        expect(page.locator(".study-front, .study-done h2").first).not_to_contain_text(f"Front {i}")
    logs = {log.card.front: log for log in Review.objects.select_related("card")}
    assert len(logs) == 5
    for i, key in enumerate(ratings):
        log = logs[f"Front {i}"]
        schedule = Schedule.objects.get(card=log.card)
        assert log.rating == int(key)
        assert schedule.due == log.due_after
        expected = {
            "4": timedelta(days=8),
            "3": timedelta(minutes=10),
            "1": timedelta(minutes=1),
            "2": timedelta(minutes=5, seconds=30),
        }
        assert abs(schedule.due - log.reviewed_at - expected[key]) < timedelta(seconds=1)
    page.keyboard.press("u")
    expect(page.locator(".study-back")).to_contain_text("Back 4")
    assert Review.objects.filter(undone_at__isnull=False).count() == 1


CHART_TEXT_PX = """() => [...document.querySelectorAll(".bar-chart svg")].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("text")].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
})"""


def test_statistics_charts_keep_legible_labels_on_a_phone(page: Page, live_server) -> None:
    """At 390 px the charts were scaled to half their size, and their labels to 5 px."""
    deck = make_deck(cards=3)
    User.objects.create_user("kim", password="a-long-password-1")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/?next=/decks/{deck.slug}/study/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill("a-long-password-1")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Show answer").click()
    page.get_by_role("button", name="Good").click()
    expect(page.locator(".study-counts")).to_be_visible()
    page.goto(f"{live_server.url}/decks/{deck.slug}/stats/")
    sizes = page.evaluate(CHART_TEXT_PX)
    assert sizes, "the charts have labels"
    assert min(sizes) >= 11, sizes
    forecast = page.locator(".bar-chart").nth(1)
    assert forecast.evaluate("figure => figure.scrollWidth > figure.clientWidth")  # it scrolls instead
    forecast.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("figure => figure.scrollLeft > 0", arg=forecast.element_handle())  # smoothly
    # The past opens on its latest days, where today's review stands: its bar is in view.
    today = page.locator(".bar-chart").first.locator("rect.bar").last
    box, chart = today.bounding_box(), page.locator(".bar-chart").first.bounding_box()
    assert chart["x"] <= box["x"] <= chart["x"] + chart["width"] - box["width"]

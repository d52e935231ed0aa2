"""Math as a reader meets it in Chromium: a wide equation shows that it scrolls."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from studysite.models import NoteSection

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("live_seed")
def test_a_wide_display_equation_scrolls_and_shows_it_on_a_phone(browser: Browser, live_server) -> None:
    section = NoteSection.objects.order_by("order").first()
    section.body += "\n\n$$" + " + ".join(f"w_{{{i}}} x_{{{i}}}" for i in range(40)) + "$$\n"
    section.save()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}{section.study_set.get_notes_url()}")
    equation = page.locator(f"#{section.anchor} math[display=block]").last
    expect(equation).to_be_visible()
    style = equation.evaluate(
        "m => ({overflow: getComputedStyle(m).overflowX, scroll: m.scrollWidth, width: m.clientWidth,"
        " shadow: getComputedStyle(m).backgroundImage})"
    )
    assert style["overflow"] == "auto"
    assert style["scroll"] > style["width"] + 100  # wider than the screen: it scrolls
    assert style["width"] <= 390
    assert "radial-gradient" in style["shadow"]  # the edge shadow that says more is hidden
    context.close()

"""Plots in a real headless Chromium: the explanation image loads, and the lab redraws on a slider."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.tests.browsing import (
    current_question,
    give_sample_answer,
    start_and_answer_first_question_correctly,
)

from .test_plot_renditions import NARROWEST_SHOWN_PX

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("live_seed")
def test_answering_shows_a_loaded_plot_with_alt_text(page: Page, live_server) -> None:
    start_and_answer_first_question_correctly(page, live_server)
    image = page.locator(".feedback .plot-figure img").first
    expect(image).to_be_visible()
    expect(image).to_have_attribute("alt", re.compile(r".{20,}"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.currentSrc").endswith(".svg")  # one file, sharp at any density
    assert image.evaluate("img => img.naturalWidth") == 720


@pytest.mark.django_db(transaction=True)
def test_moving_a_lab_slider_redraws_the_plot_and_caption(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    image = page.locator("#lab-result img")
    caption = page.locator("#lab-result .plot-title")
    expect(caption).to_contain_text(re.compile(r"At ρ\s*=\s*0\.9"))  # ρ = 0.9 is MathML
    first_src = image.get_attribute("src")
    page.evaluate("window.sameDocument = true")
    slider = page.locator("#param-rho-slider")
    slider.fill("1.2")
    expect(caption).to_contain_text(re.compile(r"At ρ\s*=\s*1\.2\s*the gradient grows"))
    expect(page.locator('input[type="number"][name="rho"]')).to_have_value("1.2")
    assert image.get_attribute("src") != first_src
    page.wait_for_function("() => document.querySelector('#lab-result img').naturalWidth > 0")
    assert page.evaluate("window.sameDocument === true")
    assert "rho=1.2" in page.url


@pytest.mark.django_db(transaction=True)
def test_lab_shows_the_bound_when_a_value_is_out_of_range(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    number = page.locator('input[type="number"][name="rho"]')
    number.fill("3")
    number.dispatch_event("input")
    expect(page.locator("#lab-result [role=alert]")).to_contain_text("rho must be between 0.5 and 1.5")


SHOWN_RENDITION = """img => {
    const source = img.closest("picture").querySelector("source");
    const urls = set => set.split(",").map(
        entry => new URL(entry.trim().split(" ")[0], document.baseURI).href);
    return {phone: urls(source.srcset).includes(img.currentSrc),
            page: urls(img.srcset).includes(img.currentSrc),
            width: img.clientWidth, natural: img.naturalWidth};
}"""


def shown_renditions(page: Page) -> list[dict]:
    """What each plot on the page shows: which rendition, how wide, once it has loaded."""
    shown = []
    for image in page.locator(".plot-figure img").all():
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shown.append(image.evaluate(SHOWN_RENDITION))
    return shown


@pytest.mark.usefixtures("live_seed")
def test_a_phone_gets_the_phone_rendition_everywhere_at_a_legible_width(page: Page, live_server) -> None:
    """At 390 px, 720 px figures shrank to 300 px and their type to 5 px. The phone rendition's type is
    checked legible at NARROWEST_SHOWN_PX (test_plot_renditions); this checks no page shows it narrower."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/quizzes/rnn-gradients-bptt/")
    page.get_by_role("button", name="Start the quiz").click()
    while "/results/" not in page.url:
        attempt, question = current_question(page)
        give_sample_answer(page, attempt, question, right=False)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback .verdict")).to_be_visible()
        if question.order == 1 or page.locator(".feedback .plot-figure img").count():
            for shown in shown_renditions(page):
                assert shown["phone"], shown
                assert shown["width"] >= NARROWEST_SHOWN_PX, shown
        page.locator("[data-quiz-next]").click()
        page.wait_for_load_state()
    review = shown_renditions(page)  # every explanation is open: every answer was wrong
    assert len(review) >= 10
    assert all(shown["phone"] and shown["width"] >= NARROWEST_SHOWN_PX for shown in review), review
    page.goto(f"{live_server.url}/lab/lstm-forget-gate/")
    assert all(shown["phone"] and shown["width"] >= NARROWEST_SHOWN_PX for shown in shown_renditions(page))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert all(shown["page"] and shown["natural"] == 720 for shown in shown_renditions(page))

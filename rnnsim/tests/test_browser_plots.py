"""Plots in a real headless Chromium: the explanation image loads, and the lab redraws on a slider."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.tests.browsing import start_and_answer_first_question_correctly

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("live_seed")
def test_answering_shows_a_loaded_plot_with_alt_text(page: Page, live_server) -> None:
    start_and_answer_first_question_correctly(page, live_server)
    image = page.locator(".feedback .plot-figure img").first
    expect(image).to_be_visible()
    expect(image).to_have_attribute("alt", re.compile(r".{20,}"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 1440


@pytest.mark.django_db(transaction=True)
def test_moving_a_lab_slider_redraws_the_plot_and_caption(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    image = page.locator("#lab-result img")
    caption = page.locator("#lab-result .plot-title")
    expect(caption).to_contain_text("At ρ = 0.9")
    first_src = image.get_attribute("src")
    page.evaluate("window.sameDocument = true")
    slider = page.locator("#param-rho-slider")
    slider.fill("1.2")
    expect(caption).to_contain_text("At ρ = 1.2 the gradient grows")
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

"""The lab as a learner uses it in Chromium: errors in place, clean links, history, phones, no JavaScript."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CAPTION = "#lab-result .plot-title"


def at_rho(value: str) -> re.Pattern:
    """The plot title's "At ρ = 1.2": its math is MathML, whose text has no spaces."""
    return re.compile(rf"At ρ\s*=\s*{re.escape(value)}(?![0-9])")


def query_pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def set_box(page: Page, name: str, value: str) -> None:
    box = page.locator(f'input[type="number"][name="{name}"]')
    box.fill(value)
    box.dispatch_event("input")


def test_an_error_shows_in_place_with_debug_on(page: Page, live_server) -> None:
    with override_settings(DEBUG=True):  # what `make run` serves
        page.goto(f"{live_server.url}/lab/rho-power-law/")
        page.evaluate("window.sameDocument = true")
        set_box(page, "rho", "3")
        expect(page.locator("#lab-result [role=alert]")).to_contain_text("rho must be between 0.5 and 1.5")
        expect(page.locator("h1")).to_be_visible()
        assert page.evaluate("window.sameDocument === true")


def test_a_pushed_lab_url_holds_each_parameter_once_and_no_token(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    expect(page.locator('input[type="range"][name]')).to_have_count(0)
    page.locator("#param-rho-slider").fill("1.2")
    expect(page.locator(CAPTION)).to_contain_text(at_rho("1.2"))
    pairs = query_pairs(page.url)
    names = [name for name, _ in pairs]
    assert sorted(names) == sorted(set(names)) == ["T", "n", "rho", "seed"]
    assert ("rho", "1.2") in pairs
    assert "csrf" not in page.url


def test_history_keeps_the_form_and_the_plot_in_agreement(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    set_box(page, "rho", "1.1")
    expect(page.locator(CAPTION)).to_contain_text(at_rho("1.1"))
    set_box(page, "rho", "0.9")
    expect(page.locator(CAPTION)).to_contain_text(at_rho("0.9"))
    page.go_back()
    expect(page.locator(CAPTION)).to_contain_text(at_rho("1.1"))
    expect(page.locator('input[type="number"][name="rho"]')).to_have_value("1.1")
    expect(page.locator("#param-rho-slider")).to_have_value("1.1")
    page.go_forward()
    expect(page.locator(CAPTION)).to_contain_text(at_rho("0.9"))
    expect(page.locator('input[type="number"][name="rho"]')).to_have_value("0.9")
    expect(page.locator("#param-rho-slider")).to_have_value("0.9")


def test_an_emptied_box_is_a_message_and_its_slider_stays(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/?T=100")
    set_box(page, "T", "")
    expect(page.locator("#lab-result [role=alert]")).to_contain_text("Enter a value for T.")
    expect(page.locator("#param-T-slider")).to_have_value("100")


def test_new_random_network_draws_another_seed(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/lab/rho-power-law/?seed=3")
    seed = page.locator('input[type="number"][name="seed"]')
    expect(page.locator('input[type="range"]#param-seed-slider')).to_have_count(0)
    page.get_by_role("button", name="New random network").click()
    expect(page).not_to_have_url(re.compile(r"seed=3(&|$)"))
    assert seed.input_value() != "3"
    assert f"seed={seed.input_value()}" in page.url


def test_without_javascript_the_value_sent_is_the_one_shown(browser: Browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    expect(page.locator("#param-rho-slider")).to_be_hidden()
    page.locator('input[type="number"][name="rho"]').fill("1.3")
    page.get_by_role("button", name="Run the simulation").click()
    expect(page.locator(CAPTION)).to_contain_text(at_rho("1.3"))
    assert [value for name, value in query_pairs(page.url) if name == "rho"] == ["1.3"]
    page.get_by_role("button", name="New random network").click()
    expect(page).to_have_url(re.compile(r"rho=1\.3"))
    context.close()


def test_on_a_phone_the_plot_stays_in_view_above_the_controls(browser: Browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    image = page.locator("#lab-result img")
    expect(image).to_be_visible()
    slider = page.locator("#param-T-slider")
    slider.scroll_into_view_if_needed()
    image_box, slider_box = image.bounding_box(), slider.bounding_box()
    assert image_box["y"] + image_box["height"] <= slider_box["y"]  # above the slider, not covering it
    assert image_box["y"] >= -1  # and still on screen while the slider is used
    slider.fill("150")
    expect(page.locator(CAPTION)).to_contain_text("150")
    context.close()


@pytest.mark.parametrize(("width", "layout"), [(390, "narrow"), (1280, "wide")])
def test_a_redraw_writes_the_one_svg_this_screen_shows(browser: Browser, live_server, width, layout) -> None:
    from rnnsim.models import RenderedPlot

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/lab/rho-power-law/")
    set_box(page, "T", "77")
    expect(page.locator(CAPTION)).to_contain_text("77")
    redrawn = RenderedPlot.objects.get(params__T=77)
    assert set(redrawn.files) == {f"{layout}.svg"}
    image = page.locator("#lab-result img")
    assert image.get_attribute("src") == redrawn.svg_url
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # the browser drew the SVG
    context.close()

"""An instructor picks, previews and saves a question's simulation in the admin, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Question
from quizzes.tests.browsing import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]


def log_in_to_question(page: Page, live_server) -> Question:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=4)
    log_in_to_admin(page, f"{live_server.url}/admin/quizzes/question/{question.pk}/change/")
    return question


def test_preview_then_save_a_new_simulation_for_a_question(page: Page, live_server) -> None:
    question = log_in_to_question(page, live_server)

    widget = page.locator("[data-plot-spec]", has=page.locator("#id_plot_experiment"))
    widget.get_by_label("Experiment").select_option("pascanu-bound")
    parameters = widget.locator('[data-plot-params="pascanu-bound"]')
    expect(parameters).to_be_visible()
    expect(widget.locator('[data-plot-params="rho-power-law"]')).to_be_hidden()
    parameters.locator('input[data-param="s"]').fill("1.2")
    widget.get_by_role("button", name="Preview plot").click()
    preview = widget.locator("[data-plot-image]")
    expect(preview).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())
    expect(preview).to_have_attribute("alt", re.compile(r"bound, s to the power k for s = 1\.2,"))
    # The status line is text: the title's $LaTeX$ reads as words and symbols there, not as source.
    expect(widget.locator("[data-plot-status]")).to_have_text(
        "The tanh RNN's gradient stays under s^k (s = 1.2) at every step back"
    )
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    question.refresh_from_db()
    assert question.plot["experiment"] == "pascanu-bound"
    assert question.plot["params"]["s"] == 1.2


@pytest.mark.parametrize("experiment", ["clipping", "weight-decay"])
def test_preview_of_a_diverging_run_renders(page: Page, live_server, experiment: str) -> None:
    """Their data.json held bare NaN, which no browser parses: the preview hung on "Rendering…"."""
    log_in_to_question(page, live_server)
    widget = page.locator("[data-plot-spec]", has=page.locator("#id_plot_experiment"))
    widget.get_by_label("Experiment").select_option(experiment)
    widget.get_by_role("button", name="Preview plot").click()
    expect(widget.locator("[data-plot-image]")).to_be_visible(timeout=20_000)


def test_a_failed_preview_says_so(page: Page, live_server) -> None:
    # Routed before any navigation: a route added while the log-in redirect loads can miss the fetch.
    page.route(
        lambda url: "/data.json" in url,
        lambda route: route.fulfill(status=502, body="<html>Bad gateway</html>"),
    )
    log_in_to_question(page, live_server)
    widget = page.locator("[data-plot-spec]", has=page.locator("#id_plot_experiment"))
    widget.get_by_label("Experiment").select_option("rho-power-law")
    widget.get_by_role("button", name="Preview plot").click()
    expect(widget.locator("[data-plot-status]")).to_contain_text("The preview failed (HTTP 502)")
    expect(widget.locator("[data-plot-image]")).to_be_hidden()

"""The seed quiz in a real headless Chromium: with htmx, without JavaScript, and by keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from quizzes.tests.browsing import current_question, give_sample_answer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]
QUESTION_COUNT = 22


def wrong_on(position: int) -> bool:
    """Which questions the tests answer wrongly: 6 of the 22."""
    return position % 4 == 2


def start_quiz(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/sets/rnn-gradients-bptt/")
    page.get_by_role("link", name="Take the quiz").click()
    expect(page.get_by_text("22", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()


def check_results(page: Page, wrong: int) -> None:
    right = QUESTION_COUNT - wrong
    expect(page.locator("#score")).to_contain_text(f"{right} / {QUESTION_COUNT}")
    expect(page.locator(".result-summary .verdict")).to_contain_text("Passed")  # 16/22 = 73% ≥ 70%
    expect(page.get_by_text("Time taken:")).to_be_visible()
    expect(page.locator(".review-item")).to_have_count(QUESTION_COUNT)
    expect(page.locator(".review-item.is-wrong")).to_have_count(wrong)
    expect(page.locator(".review-item .explanation")).to_have_count(QUESTION_COUNT)


def test_take_the_seed_quiz_with_htmx(page: Page, live_server) -> None:
    start_quiz(page, live_server.url)
    page.evaluate("window.sameDocument = true")
    wrong = 0
    for position in range(1, QUESTION_COUNT + 1):
        expect(page.locator(".question-count")).to_have_text(f"Question {position} of {QUESTION_COUNT}")
        answer_wrongly = wrong_on(position)
        wrong += answer_wrongly
        attempt, question = current_question(page)
        give_sample_answer(page, attempt, question, right=not answer_wrongly)
        page.get_by_role("button", name="Submit answer").click()
        panel = page.locator(".feedback")
        expect(panel.locator(".verdict")).to_have_text("✗ Not quite" if answer_wrongly else "✓ Correct")
        expect(panel.locator(".explanation")).to_be_visible()
        if question.kind == "single":  # the other types' reviews are tested in test_browser_question_types
            expect(panel.locator(".choice-right")).to_have_count(1)
            expect(panel.locator(".choice-wrong")).to_have_count(1 if answer_wrongly else 0)
            if answer_wrongly:
                expect(panel.get_by_role("heading", name="Why the correct answer is right")).to_be_visible()
        assert page.evaluate("window.sameDocument === true")  # htmx swapped the panel in place
        expect(page.locator("progress")).to_have_attribute("value", str(position))
        page.locator("[data-quiz-next]").click()
        page.evaluate("window.sameDocument = true")
    check_results(page, wrong)


def test_take_the_seed_quiz_without_javascript(browser: Browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    start_quiz(page, live_server.url)
    wrong = 0
    for position in range(1, QUESTION_COUNT + 1):
        answer_wrongly = wrong_on(position)
        wrong += answer_wrongly
        attempt, question = current_question(page)
        give_sample_answer(page, attempt, question, right=not answer_wrongly)
        with page.expect_navigation():
            page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback .verdict")).to_have_text(
            "✗ Not quite" if answer_wrongly else "✓ Correct"
        )
        page.locator("[data-quiz-next]").click()
    check_results(page, wrong)
    context.close()


def test_answer_by_keyboard_only(page: Page, live_server) -> None:
    start_quiz(page, live_server.url)
    wrong = 0
    for position in range(1, QUESTION_COUNT + 1):
        expect(page.locator(".question-count")).to_have_text(f"Question {position} of {QUESTION_COUNT}")
        page.wait_for_load_state()
        answer_wrongly = wrong_on(position)
        wrong += answer_wrongly
        attempt, question = current_question(page)
        response = question.type.sample_response(
            question, attempt.ordered_choices(question), right=not answer_wrongly
        )
        values = page.locator('input[name="choice"]').evaluate_all("els => els.map(e => e.value)")
        for choice in response.choices:  # 1-n pick or tick each choice
            page.keyboard.press(str(values.index(attempt.choice_token(choice)) + 1))
            expect(page.locator(f'input[value="{attempt.choice_token(choice)}"]')).to_be_checked()
        if response.text:  # typed: type it, then Enter submits
            page.get_by_label("Your answer").focus()
            page.keyboard.type(response.text)
        if response.pairs:  # matching: native selects, then Enter on the focused submit button
            give_sample_answer(page, attempt, question, right=not answer_wrongly)
            page.get_by_role("button", name="Submit answer").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".feedback .verdict")).to_have_text(
            "✗ Not quite" if answer_wrongly else "✓ Correct"
        )
        expect(page.locator("[data-quiz-next]")).to_be_focused()
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/results/$"))
    check_results(page, wrong)

"""True/false and multiple response in a real Chromium: by keyboard with htmx, and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from quizzes.models import Choice, Question, Quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quiz() -> Quiz:
    quiz = Quiz.objects.create(title="Types", slug="types", shuffle_choices=False)
    tf = Question.objects.create(
        quiz=quiz, order=1, kind="truefalse", text="The input weights escape vanishing."
    )
    Choice.objects.create(
        question=tf, order=1, text="True", feedback="They are multiplied by the same product."
    )
    Choice.objects.create(
        question=tf, order=2, text="False", is_correct=True, feedback="Right: same product."
    )
    multiple = Question.objects.create(quiz=quiz, order=2, kind="multiple", text="Which mitigate explosions?")
    for order, (text, right) in enumerate([("Clipping", True), ("Weight decay", False), ("LSTM", True)], 1):
        Choice.objects.create(
            question=multiple, order=order, text=text, is_correct=right, feedback=f"On {text}."
        )
    return quiz


def test_answer_both_types_by_keyboard(page: Page, live_server, quiz: Quiz) -> None:
    page.goto(f"{live_server.url}/quizzes/types/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_load_state()  # keyboard.js is deferred
    page.keyboard.press("2")
    expect(page.get_by_label("False")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator(".feedback .verdict")).to_have_text("✓ Correct")
    expect(page.locator("[data-quiz-next]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".question-count")).to_have_text("Question 2 of 2")
    page.wait_for_load_state()
    for key in ("1", "2", "3", "2"):  # tick clipping, weight decay and LSTM, then untick weight decay
        page.keyboard.press(key)
    expect(page.get_by_label("Weight decay")).not_to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator(".feedback .verdict")).to_have_text("✓ Correct")
    page.locator("[data-quiz-next]").click()
    expect(page.locator("#score")).to_contain_text("2 / 2")


def test_tick_several_without_javascript_and_get_partial_credit(browser: Browser, live_server, quiz) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/quizzes/types/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("True").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".feedback .verdict")).to_have_text("✗ Not quite")
    page.locator("[data-quiz-next]").click()
    page.get_by_label("Clipping").check()
    page.get_by_label("Weight decay").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".feedback .verdict")).to_have_text("✗ Not quite")  # +50% −50%: floored at 0
    expect(page.get_by_role("heading", name=re.compile("Why “Weight decay” is wrong"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Why “LSTM” is right"))).to_be_visible()
    context.close()


@pytest.fixture
def typed_quiz() -> Quiz:
    quiz = Quiz.objects.create(title="Typed", slug="typed")
    numerical = Question.objects.create(
        quiz=quiz, order=1, kind="numerical", text="With ρ = 0.9, what fraction is left after 100 steps?",
        options={"no_match_feedback": "Multiply by 0.9 a hundred times."},
    )  # fmt: skip
    Choice.objects.create(question=numerical, order=1, text="2.656e-5", tolerance=2.66e-7, is_correct=True)
    short = Question.objects.create(
        quiz=quiz, order=2, kind="shortanswer", text="The algorithm for RNN gradients?"
    )
    Choice.objects.create(question=short, order=1, text="BPTT", is_correct=True, feedback="Yes.")
    return quiz


def test_type_answers_and_press_enter(page: Page, live_server, typed_quiz: Quiz) -> None:
    page.goto(f"{live_server.url}/quizzes/typed/")
    page.get_by_role("button", name="Start the quiz").click()
    box = page.get_by_label("Your answer")
    box.fill("two")
    box.press("Enter")
    expect(page.locator("#answer-error")).to_contain_text("“two” is not a number")
    page.get_by_label("Your answer").fill("2.66×10^-5")
    page.get_by_label("Your answer").press("Enter")
    expect(page.locator(".feedback .verdict")).to_have_text("✓ Correct")
    expect(page.locator("[data-quiz-next]")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Your answer").fill("RTRL")
    page.get_by_label("Your answer").press("Enter")
    expect(page.locator(".feedback .verdict")).to_have_text("✗ Not quite")
    expect(page.locator(".feedback")).to_contain_text("Accepted answers:")
    page.locator("[data-quiz-next]").click()
    expect(page.locator("#score")).to_contain_text("1 / 2")


def test_type_an_answer_without_javascript(browser: Browser, live_server, typed_quiz: Quiz) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/quizzes/typed/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Your answer").fill("1e-5")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".feedback .verdict")).to_have_text("✗ Not quite")
    expect(page.locator(".feedback")).to_contain_text("Multiply by 0.9 a hundred times.")
    context.close()


def test_pair_items_by_keyboard_and_without_javascript(browser: Browser, live_server) -> None:
    quiz = Quiz.objects.create(title="Match", slug="match")
    question = Question.objects.create(quiz=quiz, order=1, kind="matching", text="Pair each technique")
    for order, (item, answer) in enumerate(
        [("Clipping", "Exploding gradients"), ("LSTM gating", "Vanishing gradients"), ("", "Overfitting")], 1
    ):
        Choice.objects.create(question=question, order=order, text=item, match_text=answer)
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.goto(f"{live_server.url}/quizzes/match/")
        page.get_by_role("button", name="Start the quiz").click()
        page.get_by_label("Clipping").select_option(label="Exploding gradients")
        page.get_by_label("LSTM gating").focus()
        page.keyboard.press("ArrowDown")  # a native select: the keyboard picks an answer
        chosen = page.get_by_label("LSTM gating").evaluate("select => select.selectedOptions[0].text")
        page.get_by_role("button", name="Submit answer").click()
        verdict = "✓ Correct" if chosen == "Vanishing gradients" else "◐ Partly right: 50% of the mark"
        expect(page.locator(".feedback .verdict")).to_have_text(verdict)
        expect(page.locator(".matching-review tbody tr")).to_have_count(2)
        context.close()

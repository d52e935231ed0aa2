"""Two learners in Chromium take the same seed template and each gets, and is graded on, their own variant."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, expect

from quizzes.models import Attempt, Quiz
from quizzes.tests.browsing import current_question

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]


def ring_offset(image: Locator, mark: Locator) -> tuple[float, float]:
    """How far, in CSS px, the ring shown over the image is from where its data-cx, data-cy put it."""
    expect(mark.locator("circle").last).to_be_visible()
    box, ring = image.bounding_box(), mark.locator("circle").last.bounding_box()
    width, height = (float(v) for v in mark.get_attribute("viewBox").split()[2:])
    scale_x, scale_y = (box["width"] - 2) / width, (box["height"] - 2) / height  # inside the 1 px border
    want_x = box["x"] + 1 + float(mark.get_attribute("data-cx")) * scale_x
    want_y = box["y"] + 1 + float(mark.get_attribute("data-cy")) * scale_y
    return ring["x"] + ring["width"] / 2 - want_x, ring["y"] + ring["height"] / 2 - want_y


def test_two_learners_get_their_own_variants_numbers_and_plots(browser: Browser, live_server) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-practice")
    seen: dict[str, tuple[str, str]] = {}  # the variant's parameters → its question text and plot
    for _ in range(4):  # two draws repeat 1 time in 380; a third learner then draws another
        if len(seen) == 2:
            break
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.goto(f"/quizzes/{quiz.slug}/")
        page.get_by_role("button", name="Start the quiz").click()
        attempt, question = current_question(page)
        asked = attempt.asked(question)
        question_text = page.locator("h1.question-text").inner_text()
        page.reload()
        assert page.locator("h1.question-text").inner_text() == question_text  # a reload keeps the variant
        answer = page.get_by_label("Your answer")
        answer.fill(f"{asked.variant.key * 1.005:.4e}")  # half a percent off, inside the 1% tolerance
        answer.press("Enter")
        feedback = page.locator(".feedback")
        expect(feedback.locator(".verdict")).to_contain_text("Correct")
        for name, value in asked.variant.shown.items():
            expect(feedback.locator(".variant-note")).to_contain_text(f"{name} = {value}")
        image = feedback.locator("figure img")
        expect(image).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert ring_offset(image, feedback.locator(".plot-mark-wide")) == pytest.approx((0, 0), abs=1.5)
        if not seen:  # on a phone, the stacked rendition and its own ring
            wide = image.evaluate("img => img.currentSrc")
            page.set_viewport_size({"width": 390, "height": 844})
            expect(feedback.locator(".plot-mark-wide")).to_be_hidden()
            page.wait_for_function(
                "([img, wide]) => img.currentSrc !== wide && img.complete", arg=[image.element_handle(), wide]
            )
            assert ring_offset(image, feedback.locator(".plot-mark-narrow")) == pytest.approx((0, 0), abs=1.5)
        seen[str(asked.variant.params)] = (question_text, image.get_attribute("src"))
        assert Attempt.objects.get(pk=attempt.pk).answers.get().is_correct
        context.close()
    (first_text, first_plot), (second_text, second_plot) = seen.values()
    assert first_text != second_text
    assert first_plot != second_plot

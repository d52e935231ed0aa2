"""In Chromium: three confident wrong answers each show their belief's what-if; the results name the beliefs
and mark certainty; the cards come back as Again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, expect

from flashcards.models import Card, Review, Schedule
from quizzes.models import Attempt, Choice, Misconception, Question, Quiz
from quizzes.tests.browsing import give_sample_answer
from studysite.tests.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]
WRONG = {  # question order → the wrong choice picked, and the belief it suggests
    5: ("A larger learning rate", "larger-learning-rate-fixes-exploding"),
    7: ("Gradient clipping", "clipping-fixes-vanishing"),
    20: ("Weight decay", "weight-decay-stops-explosion"),
}


def test_three_wrong_answers_show_what_if_plots_and_the_results_name_their_beliefs(
    browser: Browser, live_server
) -> None:
    Quiz.objects.filter(slug="rnn-gradients-bptt").update(certainty_marking=True)
    User.objects.create_user("ada", password="a-long-password-1")
    page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()  # bypass: to inject axe
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto("/quizzes/rnn-gradients-bptt/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/*/")
    attempt = Attempt.objects.get()
    for order, (text, slug) in WRONG.items():
        question = Question.objects.get(quiz=attempt.quiz, order=order)
        page.goto(f"/attempts/{attempt.public_id}/questions/{question.pk}/")
        if order == 5:
            assert violations(page) == [], "a question with certainty buttons"
        choice = Choice.objects.get(question=question, text__startswith=text)
        page.locator(f'input[value="{attempt.choice_token(choice)}"]').check()
        if order == 5:
            page.keyboard.press("Shift+Digit3")  # the keyboard's way to say "sure"
        else:
            page.get_by_role("button", name="3: sure").click()
        feedback = page.locator(".feedback")
        expect(feedback.locator(".cbm-mark")).to_contain_text("You said certainty 3: -6 marks")
        expect(feedback.locator(".verdict")).not_to_contain_text("Correct")
        whatif = feedback.locator(".whatif")
        expect(whatif).to_contain_text(Misconception.objects.get(slug=slug).statement)
        expect(whatif).to_contain_text("What the simulation shows:")
        if order == 5:
            assert violations(page) == [], "a feedback panel with a what-if"
        what_if_plot = whatif.locator("figure img")
        expect(what_if_plot).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=what_if_plot.element_handle()
        )
        explanation_plot = feedback.locator("figure img").first
        assert explanation_plot.get_attribute("src") != what_if_plot.get_attribute("src"), order
    for question in attempt.quiz.questions.exclude(order__in=WRONG):
        page.goto(f"/attempts/{attempt.public_id}/questions/{question.pk}/")
        give_sample_answer(page, attempt, question, right=True)
        page.get_by_role("button", name="2: fairly sure").click()
        expect(page.locator(".feedback .verdict")).to_contain_text("Correct")
    page.goto(f"/attempts/{attempt.public_id}/results/")
    others = attempt.quiz.questions.count() - len(WRONG)
    expect(page.locator(".cbm-report .score")).to_contain_text(f"CBM score {2 * others - 6 * len(WRONG)}")
    expect(page.locator(".cbm-report .score")).to_contain_text(
        f"plain score {others} / {others + len(WRONG)}"
    )
    expect(page.locator(".cbm-report")).to_contain_text(
        "At certainty 3 you were right 0% of the time: certainty 3 pays only above 80%."
    )
    assert violations(page) == [], "results with suggestions and certainty"
    first = page.locator(".review-item h3").first
    expect(first).to_contain_text(Question.objects.get(quiz=attempt.quiz, order=5).text[:40])
    suggestions = page.locator("section.suggestions")
    expect(suggestions.get_by_role("heading", name="What your answers suggest")).to_be_visible()
    beliefs = Misconception.objects.filter(slug__in=[slug for _, slug in WRONG.values()])
    expect(suggestions.locator(".whatif")).to_have_count(3)
    expect(suggestions.locator(".whatif figure img")).to_have_count(3)
    for belief in beliefs:
        expect(suggestions).to_contain_text(belief.statement)
        link = suggestions.get_by_role(
            "link", name=f"Read the notes that correct it: {belief.notes_section.title}"
        )
        expect(link.first).to_have_attribute("href", belief.notes_section.get_absolute_url())
        cards = Card.objects.filter(notes_section=belief.notes_section)
        due = Schedule.objects.filter(user__username="ada", card__in=cards, due__lte=timezone.now())
        assert due.count() == cards.count() > 0  # the cards of its notes come back now
        assert due.filter(recheck_early=True).count() == cards.count()  # for an early second review
        again = Review.objects.filter(user__username="ada", card__in=cards, rating=Review.Rating.AGAIN)
        assert again.values("card").distinct().count() == cards.count()

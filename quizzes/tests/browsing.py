"""Steps a learner takes in Chromium, shared by the browser tests of every app."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from playwright.sync_api import Page

from quizzes.models import Attempt, Choice, Question
from quizzes.qtypes import Offer

QUESTION_URL = re.compile(r"/attempts/(?P<attempt>[0-9a-f-]+)/questions/(?P<question>\d+)/$")


def log_in_to_admin(page: Page, url: str) -> None:
    """Open an admin page as a new instructor, through the login form it sends a visitor to."""
    User.objects.create_superuser("teach", "t@example.org", "a-long-password-1")
    page.goto(url)
    page.get_by_label("Username").fill("teach")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{url}")


def start_and_answer_first_question_correctly(page: Page, live_server) -> Attempt:
    """Open the seed quiz, press Start, pick the right choice and submit, as a learner would."""
    page.goto(f"{live_server.url}/quizzes/rnn-gradients-bptt/")
    page.get_by_role("button", name="Start the quiz").click()
    match = QUESTION_URL.search(page.url)
    attempt = Attempt.objects.get(public_id=match["attempt"])
    choice = Choice.objects.get(question_id=int(match["question"]), is_correct=True)
    page.locator(f'input[value="{attempt.choice_token(choice)}"]').check()
    page.get_by_role("button", name="Submit answer").click()
    return attempt


def give_sample_answer(page: Page, attempt: Attempt, question: Question, *, right: bool) -> None:
    """Fill the question's form with its type's sample response, right or wrong, as a learner would."""
    question = attempt.asked(question)  # a template's is the attempt's own variant
    response = question.type.sample_response(question, attempt.ordered_choices(question), right=right)
    for choice in response.choices:
        page.locator(f'input[value="{attempt.choice_token(choice)}"]').check()
    if response.text:
        page.get_by_label("Your answer").fill(response.text)
    offer = Offer(attempt, [])
    for item, answer in response.pairs:
        page.locator(f'select[name="match-{attempt.choice_token(item)}"]').select_option(offer.token(answer))


def current_question(page: Page) -> tuple[Attempt, Question]:
    match = QUESTION_URL.search(page.url)
    return Attempt.objects.get(public_id=match["attempt"]), Question.objects.get(pk=int(match["question"]))

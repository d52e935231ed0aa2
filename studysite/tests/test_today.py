"""The home page says what a signed-in learner should do today, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import grading
from quizzes.models import Quiz

pytestmark = pytest.mark.usefixtures("seed")


def answer_all(attempt, *, correct: bool) -> None:
    for question in attempt.quiz.questions.order_by("order"):
        sample = question.type.sample_response(question, attempt.ordered_choices(question), right=correct)
        grading.submit_answer(attempt=attempt, question=question, response=sample)


@pytest.fixture
def learner(client: Client) -> User:
    user = User.objects.create_user("lea", password="a-long-password-1")
    client.force_login(user)
    return user


def test_a_visitor_learns_what_the_site_is_and_can_start_without_an_account(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()
    assert "Every answer's explanation carries a plot" in html
    assert 'href="/quizzes/rnn-gradients-bptt/">Take the quiz, no account needed</a>' in html
    assert "<h1>Today</h1>" not in html


def test_a_learner_sees_due_cards_an_open_attempt_a_last_score_and_notes_to_reread(
    client: Client, learner: User
) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    done = grading.start_attempt(quiz=quiz, user=learner)
    answer_all(done, correct=False)
    grading.start_attempt(quiz=quiz, user=learner)  # unfinished
    html = client.get(reverse("home")).content.decode()
    assert "<h1>Today</h1>" in html
    # Every answer was wrong, so every notes section's cards came due at once, as if rated Again.
    assert "42 due today, 42 ready now" in html
    assert "Study 42 cards" in html
    assert "Resume</a>" in html
    assert "Your last score: <strong>0/22 (0%)</strong>, not passed yet." in html
    assert "Notes to reread" in html
    assert html.count('href="/sets/rnn-gradients-bptt/notes/#') >= 3


def queries_for_home(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries.captured_queries)


def test_a_new_learner_is_offered_todays_new_cards_and_the_quiz(client: Client, learner: User) -> None:
    html = client.get(reverse("home")).content.decode()
    assert "0 due today, 0 ready now · 20 new today" in html  # the deck's daily limit of new cards
    assert "Study 20 cards" in html
    assert "You have not taken a quiz yet." in html


def test_the_page_costs_the_same_queries_whatever_the_learners_history(client: Client, learner: User) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    answer_all(grading.start_attempt(quiz=quiz, user=learner), correct=False)
    short = queries_for_home(client)
    for _ in range(6):
        answer_all(grading.start_attempt(quiz=quiz, user=learner), correct=False)
    grading.start_attempt(quiz=quiz, user=learner)
    assert queries_for_home(client) == short

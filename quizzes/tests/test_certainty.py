"""Certainty-based marking: the marks, the form, the results' report and the spaced-repetition link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from flashcards import scheduling
from flashcards.models import Card, Review, Schedule
from quizzes.certainty import Level, mark
from quizzes.models import Answer, Question, Quiz

from .makers import question_url, sample_form, start

pytestmark = pytest.mark.usefixtures("seed")
SEED_QUIZ = "rnn-gradients-bptt"


@pytest.fixture
def cbm_quiz() -> Quiz:
    quiz = Quiz.objects.get(slug=SEED_QUIZ)
    quiz.certainty_marking = True
    quiz.save()
    return quiz


def answer(client: Client, attempt, order: int, *, right: bool, certainty: int | None) -> Answer:
    question = Question.objects.get(quiz=attempt.quiz, order=order)
    data = sample_form(attempt, question, right=right) | ({"certainty": str(certainty)} if certainty else {})
    client.post(question_url(attempt, question.pk), data)
    return Answer.objects.filter(attempt=attempt, question=question).first()


@pytest.mark.parametrize(
    ("credit", "certainty", "expected"),
    [(1, 1, 1), (1, 2, 2), (1, 3, 3), (0, 1, 0), (0, 2, -2), (0, 3, -6), (0.5, 3, 1.5), (0.5, 1, 0.5)],
)
def test_marks_follow_gardner_medwins_table_and_moodles_partial_credit(credit, certainty, expected) -> None:
    assert mark(credit, certainty) == expected


def test_each_level_pays_best_in_its_own_band_of_accuracy() -> None:
    for accuracy, best in [(0.5, 1), (0.7, 2), (0.9, 3)]:
        expected = {level: accuracy * mark(1, level) + (1 - accuracy) * mark(0, level) for level in (1, 2, 3)}
        assert max(expected, key=expected.get) == best
    assert [Level(c, 1, 1).best_when for c in (1, 2, 3)] == ["below 67%", "67% to 80%", "above 80%"]
    assert Level(3, 5, 3).note == (
        "At certainty 3 you were right 60% of the time: certainty 3 pays only above 80%."
    )
    assert Level(1, 10, 9).note == (
        "At certainty 1 you were right 90% of the time: you could have said 2, which pays above 67%."
    )
    assert Level(2, 4, 3).note == "At certainty 2 you were right 75% of the time: well judged."
    assert Level(2, 0, 0).note == ""


def test_a_cbm_quiz_asks_for_a_certainty_and_refuses_an_answer_without_one(client: Client, cbm_quiz) -> None:
    attempt = start(client, cbm_quiz)
    question = Question.objects.get(quiz=cbm_quiz, order=1)
    page = client.get(question_url(attempt, question.pk)).content.decode()
    assert page.count('name="certainty"') == 3
    assert "Submit answer</button>" not in page
    response = client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=True))
    assert response.status_code == 400
    assert "Say how sure you are: submit with certainty 1, 2 or 3." in response.content.decode()
    assert not Answer.objects.filter(attempt=attempt).exists()
    wrong = answer(client, attempt, 1, right=False, certainty=3)
    assert (wrong.certainty, wrong.cbm_mark) == (3, -6)
    assert "You said certainty 3: -6 marks" in client.get(question_url(attempt, question.pk)).content.decode()


def test_a_quiz_without_cbm_ignores_a_certainty(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    given = answer(client, attempt, 1, right=True, certainty=3)
    assert given.certainty is None
    assert given.cbm_mark is None


def test_the_results_show_the_cbm_score_accuracy_by_certainty_calibration_and_confident_errors_first(
    client: Client, cbm_quiz
) -> None:
    attempt = start(client, cbm_quiz)
    plan = {1: (True, 3), 2: (False, 3), 3: (True, 1), 4: (False, 2)}  # order → (right, certainty)
    for question in cbm_quiz.questions.all():
        right, certainty = plan.get(question.order, (True, 3))
        answer(client, attempt, question.order, right=right, certainty=certainty)
    html = client.get(f"/attempts/{attempt.public_id}/results/").content.decode()
    count = cbm_quiz.questions.count()
    expected = 3 * (count - 3) - 6 + 1 - 2  # right at 3 everywhere else; −6, +1, −2 for questions 2, 3, 4
    assert f"CBM score {expected}</strong> (from {-6 * count} to {3 * count};" in html
    assert f"plain score {count - 2} / {count}" in html
    right_at_3 = count - 3
    assert f"At certainty 3 you were right {right_at_3 / (count - 2):.0%} of the time" in html
    assert "At certainty 2 you were right 0% of the time: certainty 2 pays only above 67%." in html
    titles = re.findall(r'<li class="review-item is-\w+">\s*<h3>(.*?)</h3>', html)
    assert "unrolling" in titles[0]  # question 2: wrong at certainty 3
    assert "grow exponentially" in titles[1]  # question 4: wrong at certainty 2
    assert "primary method" in titles[2]  # then the rest, in the quiz's order


def learner_client(client: Client, name: str) -> tuple[Client, User]:
    user = User.objects.create_user(name, password="pw")
    client.force_login(user)
    return client, user


def test_a_confident_error_brings_its_cards_back_as_again_for_an_early_second_review(
    client: Client, cbm_quiz
) -> None:
    client, learner = learner_client(client, "ada")
    attempt = start(client, cbm_quiz)
    given = answer(client, attempt, 4, right=False, certainty=3)  # notes: exploding gradients
    cards = Card.objects.filter(notes_section=given.question.notes_section)
    assert cards.exists()
    for card in cards:
        assert Review.objects.get(user=learner, card=card).rating == Review.Rating.AGAIN
        schedule = Schedule.objects.get(user=learner, card=card)
        assert schedule.recheck_early
        assert schedule.due <= given.answered_at
    card = cards.first()
    later = timezone.now() + timedelta(minutes=20)
    scheduling.review(user=learner, card=card, rating=Review.Rating.EASY, now=later)
    schedule = Schedule.objects.get(user=learner, card=card)
    assert schedule.due <= later + timedelta(hours=24)  # Easy would otherwise have earned days
    assert not schedule.recheck_early
    scheduling.undo_last(user=learner, deck=card.deck, now=later)
    assert Schedule.objects.get(user=learner, card=card).recheck_early  # undo brings the mark back


def test_an_unsure_error_brings_cards_back_without_the_early_review(client: Client, cbm_quiz) -> None:
    client, learner = learner_client(client, "bo")
    attempt = start(client, cbm_quiz)
    given = answer(client, attempt, 4, right=False, certainty=1)
    schedules = Schedule.objects.filter(user=learner, card__notes_section=given.question.notes_section)
    assert schedules.exists()
    assert not schedules.filter(recheck_early=True).exists()


def test_a_right_but_unsure_answer_brings_its_cards_back_as_hard(client: Client, cbm_quiz) -> None:
    client, learner = learner_client(client, "cy")
    attempt = start(client, cbm_quiz)
    given = answer(client, attempt, 4, right=True, certainty=1)
    reviews = Review.objects.filter(user=learner, card__notes_section=given.question.notes_section)
    assert reviews.exists()
    assert set(reviews.values_list("rating", flat=True)) == {Review.Rating.HARD}
    sure = answer(client, attempt, 6, right=True, certainty=3)
    assert not Review.objects.filter(user=learner, card__notes_section=sure.question.notes_section).exists()

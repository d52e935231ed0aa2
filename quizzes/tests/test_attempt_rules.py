"""One open attempt per learner and quiz; "Start over" abandons it; an unpublished quiz closes open ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from quizzes import grading
from quizzes.models import Attempt

from .makers import HTMX, make_quiz, question_url, start

pytestmark = pytest.mark.django_db


def start_post(client: Client, quiz, **data) -> str:
    response = client.post(reverse("attempt-start", args=[quiz.slug]), data)
    assert response.status_code == 302
    return response.url


def answer_all(client: Client, attempt: Attempt, correct: bool) -> None:
    for question_id in attempt.question_ids:
        question = attempt.quiz.questions.get(pk=question_id)
        choice = question.choices.filter(is_correct=correct).first()
        client.post(question_url(attempt, question_id), {"choice": attempt.choice_token(choice)})


def test_starting_again_resumes_the_open_attempt(client: Client) -> None:
    quiz = make_quiz(questions=3)
    first = start(client, quiz)
    assert start_post(client, quiz) == reverse("attempt-resume", args=[first.public_id])
    assert Attempt.objects.count() == 1
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "Resume your attempt" in page
    assert "You have answered 0 of 3 questions" in page


def test_parallel_attempts_cannot_read_the_key_for_a_perfect_score(client: Client) -> None:
    """The probe: open M and S, answer S to learn the key, then answer M. Now S is M."""
    quiz = make_quiz(questions=3)
    main = start(client, quiz)
    start_post(client, quiz)
    assert Attempt.objects.filter(finished_at__isnull=True).count() == 1
    assert Attempt.objects.get() == main


def test_start_over_abandons_and_the_abandoned_attempt_is_never_best(client: Client) -> None:
    quiz = make_quiz(questions=2)
    first = start(client, quiz)
    answer_all(client, first, correct=False)  # completed, 0 of 2
    second = start(client, quiz)
    question = quiz.questions.get(pk=second.question_ids[0])
    client.post(
        question_url(second, question.pk),
        {"choice": second.choice_token(question.choices.get(is_correct=True))},
    )
    start_post(client, quiz, start_over="1")  # abandons second, 1 of 2 so far
    second.refresh_from_db()
    assert second.is_finished
    assert second.abandoned
    assert Attempt.objects.open().count() == 1
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "0/2 (0%)" in page  # the best completed attempt, not the abandoned 1/2
    assert "1/2" not in page
    results = client.get(reverse("attempt-results", args=[second.public_id])).content.decode()
    assert "Abandoned" in results
    assert "Abandoned" in client.get(reverse("progress")).content.decode()


def test_an_abandoned_attempt_does_not_unlock_the_answer_export(client: Client) -> None:
    quiz = make_quiz(questions=2)
    start(client, quiz)
    start_post(client, quiz, start_over="1")
    assert client.get(reverse("quiz-export", args=[quiz.slug, "gift"])).status_code == 403


def test_the_database_allows_one_open_attempt_per_account() -> None:
    quiz, user = make_quiz(questions=1), User.objects.create_user("one", password="pw")
    first = grading.start_attempt(quiz=quiz, user=user)
    assert grading.start_attempt(quiz=quiz, user=user) == first  # a racing second start gets the first
    with pytest.raises(IntegrityError):
        Attempt.objects.create(quiz=quiz, user=user, question_ids=first.question_ids)


def test_logging_in_keeps_the_browsers_open_attempt_and_ends_the_older_one(client: Client) -> None:
    quiz, user = make_quiz(questions=2), User.objects.create_user("learner", password="a-long-password-1")
    older = grading.start_attempt(quiz=quiz, user=user)
    anonymous = start(client, quiz)
    response = client.post(reverse("login"), {"username": "learner", "password": "a-long-password-1"})
    assert response.status_code == 302
    older.refresh_from_db()
    anonymous.refresh_from_db()
    assert older.abandoned
    assert anonymous.user == user
    assert not anonymous.is_finished


def test_an_unpublished_quiz_closes_its_open_attempts_but_keeps_results(client: Client) -> None:
    quiz = make_quiz(questions=2)
    done = start(client, quiz)
    answer_all(client, done, correct=True)
    open_attempt = start(client, quiz)
    quiz.published = False
    quiz.save()
    question_id = open_attempt.question_ids[0]
    page = client.get(question_url(open_attempt, question_id))
    assert page.status_code == 410
    assert "unpublished" in page.content.decode()
    question = quiz.questions.get(pk=question_id)
    token = open_attempt.choice_token(question.choices.first())
    assert (
        client.post(question_url(open_attempt, question_id), {"choice": token}, headers=HTMX).status_code
        == 410
    )
    assert not open_attempt.answers.exists()
    assert client.get(reverse("attempt-resume", args=[open_attempt.public_id])).status_code == 410
    assert client.get(reverse("attempt-results", args=[done.public_id])).status_code == 200

"""Attempts and grading: server-side, stored once, never rewritten."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection

from quizzes import grading
from quizzes.models import Answer, Attempt
from quizzes.qtypes import Response

from .makers import make_quiz

pytestmark = pytest.mark.django_db


def correct_choice(question):
    return question.choices.get(is_correct=True)


def wrong_choice(question):
    return question.choices.filter(is_correct=False).first()


def test_attempt_keeps_authored_order_unless_shuffled() -> None:
    quiz = make_quiz(questions=8)
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    assert attempt.question_ids == list(quiz.questions.order_by("order").values_list("pk", flat=True))
    assert attempt.user is None

    quiz.shuffle_questions = True
    quiz.save()
    orders = {tuple(grading.start_attempt(quiz=quiz, user=AnonymousUser()).question_ids) for _ in range(10)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(attempt.question_ids) for order in orders)


def test_choice_shuffle_is_per_attempt_and_stable() -> None:
    quiz = make_quiz(questions=1, choices=4)
    question = quiz.questions.get()
    attempts = [grading.start_attempt(quiz=quiz, user=AnonymousUser()) for _ in range(12)]
    orders = {tuple(c.pk for c in a.ordered_choices(question)) for a in attempts}
    assert len(orders) > 1
    first = attempts[0]
    assert first.ordered_choices(question) == Attempt.objects.get(pk=first.pk).ordered_choices(question)

    quiz.shuffle_choices = False
    quiz.save()
    unshuffled = Attempt.objects.get(pk=first.pk)
    assert [c.order for c in unshuffled.ordered_choices(question)] == [1, 2, 3, 4]


def test_empty_quiz_cannot_be_started() -> None:
    with pytest.raises(ValidationError, match="no questions"):
        grading.start_attempt(quiz=make_quiz(questions=0), user=AnonymousUser())


def test_grading_counts_correct_answers_and_finishes_on_the_last() -> None:
    user = User.objects.create_user("ada", password="pw-123456789")
    quiz = make_quiz(questions=3)
    attempt = grading.start_attempt(quiz=quiz, user=user)
    questions = list(quiz.questions.order_by("order"))

    answer, created = grading.submit_answer(
        attempt=attempt, question=questions[0], response=Response((correct_choice(questions[0]),))
    )
    assert created
    assert answer.is_correct
    grading.submit_answer(
        attempt=attempt, question=questions[1], response=Response((wrong_choice(questions[1]),))
    )
    assert not attempt.is_finished
    grading.submit_answer(
        attempt=attempt, question=questions[2], response=Response((correct_choice(questions[2]),))
    )

    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.score == 2
    assert attempt.score_percent == 67
    assert attempt.passed is False  # pass mark 70%
    assert attempt.user == user


def test_a_second_answer_returns_the_stored_one_unchanged() -> None:
    quiz = make_quiz(questions=2)
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    question = quiz.questions.first()
    first, _ = grading.submit_answer(
        attempt=attempt, question=question, response=Response((wrong_choice(question),))
    )
    again, created = grading.submit_answer(
        attempt=attempt, question=question, response=Response((correct_choice(question),))
    )
    assert created is False
    assert again.pk == first.pk
    assert again.is_correct is False
    assert Answer.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_choice_of_another_question_is_rejected() -> None:
    quiz = make_quiz(questions=2)
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    first, second = quiz.questions.order_by("order")
    with pytest.raises(ValidationError, match="does not belong to this question"):
        grading.submit_answer(attempt=attempt, question=first, response=Response((correct_choice(second),)))
    assert not Answer.objects.exists()


def test_question_outside_the_attempt_is_rejected() -> None:
    attempt = grading.start_attempt(quiz=make_quiz(questions=1), user=AnonymousUser())
    stranger = make_quiz(questions=1).questions.get()
    with pytest.raises(ValidationError, match="not part of your attempt"):
        grading.submit_answer(
            attempt=attempt, question=stranger, response=Response((correct_choice(stranger),))
        )


def test_grading_uses_the_choice_at_answer_time_not_later_edits() -> None:
    quiz = make_quiz(questions=1)
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    question = quiz.questions.get()
    choice = correct_choice(question)
    grading.submit_answer(attempt=attempt, question=question, response=Response((choice,)))
    choice.is_correct = False
    choice.save()
    assert Answer.objects.get().is_correct is True


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_store_one_answer() -> None:
    quiz = make_quiz(questions=2)
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    question = quiz.questions.first()
    results = submit_concurrently(attempt, question, [correct_choice(question), wrong_choice(question)])
    assert_single_answer(attempt, results)


def submit_concurrently(attempt, question, choices) -> list:
    barrier = threading.Barrier(len(choices))
    results: list = []

    def submit(choice) -> None:
        barrier.wait()
        try:
            results.append(
                grading.submit_answer(attempt=attempt, question=question, response=Response((choice,)))
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(choice,)) for choice in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def assert_single_answer(attempt, results) -> None:
    assert len(results) == 2
    assert sorted(created for _, created in results) == [False, True]
    assert len({answer.pk for answer, _ in results}) == 1
    assert Answer.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.score == int(results[0][0].is_correct)

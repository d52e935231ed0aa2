"""Instructors in admin: item analysis, the learner's-eye preview, and free reordering."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from quizzes import grading
from quizzes.models import Question
from quizzes.qtypes import Response

from .makers import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "a-long-password-1"))
    return client


def answer(quiz, picks: list[int]) -> None:
    """One attempt per pick, each answering question 1 with the choice of that order."""
    question = quiz.questions.get(order=1)
    for order in picks:
        attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
        grading.submit_answer(
            attempt=attempt, question=question, response=Response((question.choices.get(order=order),))
        )


def test_item_analysis_counts_picks_and_facility(staff_client: Client) -> None:
    quiz = make_quiz(questions=1)  # question 1's correct choice has order 2
    answer(quiz, [2, 2, 2, 1])
    question = quiz.questions.get()
    html = staff_client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()
    assert "<td>4</td>" in html
    assert "75%" in html  # facility
    assert "Q1 choice 2</strong>: 3 (75%)" in html
    assert "Q1 choice 1: 1 (25%)" in html
    quiz_page = staff_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert "Q1 choice 2</strong>: 3 (75%)" in quiz_page


def test_preview_shows_the_question_as_a_learner_sees_it(staff_client: Client) -> None:
    question = make_quiz(questions=1, published=False).questions.get()
    admin_page = staff_client.get(
        reverse("admin:quizzes_question_change", args=[question.pk])
    ).content.decode()
    preview_url = reverse("question-preview", args=[question.pk])
    assert preview_url in admin_page
    html = staff_client.get(preview_url).content.decode()
    assert "Question 1?" in html
    assert html.count('type="radio"') == 4
    assert "Feedback for" not in html
    assert "is_correct" not in html


def test_preview_is_staff_only(client: Client) -> None:
    question = make_quiz(questions=1).questions.get()
    response = client.get(reverse("question-preview", args=[question.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_swapping_question_orders_in_the_quiz_inline_saves(staff_client: Client) -> None:
    quiz = make_quiz(questions=2)
    first, second = quiz.questions.order_by("order")
    data = {
        "title": quiz.title, "slug": quiz.slug, "description": "", "published": "on", "pass_mark": "70",
        "shuffle_choices": "on",
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "2",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, (question, new_order) in enumerate([(first, 2), (second, 1)]):
        data |= {
            f"questions-{i}-id": str(question.pk), f"questions-{i}-quiz": str(quiz.pk),
            f"questions-{i}-order": str(new_order), f"questions-{i}-text": question.text,
            f"questions-{i}-explanation": question.explanation, f"questions-{i}-notes_section": "",
        }  # fmt: skip
    response = staff_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get(pk=first.pk).order == 2
    assert Question.objects.get(pk=second.pk).order == 1


def test_duplicate_question_orders_are_a_form_error_not_a_crash(staff_client: Client) -> None:
    quiz = make_quiz(questions=2)
    first, second = quiz.questions.order_by("order")
    data = {
        "title": quiz.title, "slug": quiz.slug, "description": "", "published": "on", "pass_mark": "70",
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "2",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, question in enumerate([first, second]):
        data |= {
            f"questions-{i}-id": str(question.pk), f"questions-{i}-quiz": str(quiz.pk),
            f"questions-{i}-order": "1", f"questions-{i}-text": question.text,
            f"questions-{i}-explanation": question.explanation,
        }  # fmt: skip
    response = staff_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert "Please correct the duplicate" in response.content.decode()
    assert Question.objects.get(pk=second.pk).order == 2


def test_attempts_are_read_only_in_admin(staff_client: Client) -> None:
    quiz = make_quiz(questions=1)
    answer(quiz, [1])
    attempt = quiz.attempts.get()
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    html = staff_client.get(url).content.decode()
    assert "Q1 choice 1" in html
    assert staff_client.get(reverse("admin:quizzes_attempt_add")).status_code == 403

"""A recorded answer, its verdict and the score never change because content was edited or re-imported."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from quizzes import exporting, importing
from quizzes.models import Answer, Attempt, Choice, Question, Quiz

from .makers import HTMX, make_quiz, question_admin_data, question_url, start

pytestmark = pytest.mark.django_db


def answer(client: Client, attempt: Attempt, question: Question, choice: Choice) -> None:
    response = client.post(question_url(attempt, question.pk), {"choice": attempt.choice_token(choice)})
    assert response.status_code == 302


def results(client: Client, attempt: Attempt) -> str:
    response = client.get(reverse("attempt-results", args=[attempt.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def finished_wrong_on_choice_4(client: Client) -> tuple[Quiz, Attempt, Question]:
    """One question, its correct choice at order 2, answered with choice 4 (wrong)."""
    quiz = make_quiz(questions=1)
    question = quiz.questions.get()
    attempt = start(client, quiz)
    answer(client, attempt, question, question.choices.get(order=4))
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.score == 0
    return quiz, attempt, question


def test_reimport_with_fewer_choices_keeps_the_answer_and_its_review(client: Client) -> None:
    quiz, attempt, question = finished_wrong_on_choice_4(client)
    data = exporting.export_json(quiz)
    data["questions"][0]["choices"] = data["questions"][0]["choices"][:2]
    data["questions"][0]["choices"][0]["is_correct"], data["questions"][0]["choices"][1]["is_correct"] = (
        True,
        False,
    )
    importing.import_quiz(json.dumps(data).encode(), fmt="json")
    assert question.choices.count() == 2

    stored = Answer.objects.get(attempt=attempt)
    assert stored.question_id == question.pk
    assert not stored.is_correct
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert attempt.is_finished
    page = results(client, attempt)
    assert "0 / 1" in page
    assert "Q1 choice 4" in page
    assert "Feedback for Q1 choice 4." in page
    assert page.count("✓ Correct answer") == 1
    assert "Feedback for Q1 choice 2." in page
    # The question cannot be answered a second time: the stored answer comes back.
    response = client.post(question_url(attempt, question.pk), {"choice": "x"}, headers=HTMX)
    assert "Q1 choice 4" in response.content.decode()
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_deleting_the_picked_choice_in_admin_keeps_the_answer(client: Client) -> None:
    _quiz, attempt, question = finished_wrong_on_choice_4(client)
    instructor = Client()
    instructor.force_login(User.objects.create_superuser("teacher", "t@example.org", "pw"))
    page = instructor.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()
    assert "1 recorded answer" in page
    assert "never a recorded answer or score" in page
    data = question_admin_data(question) | {"choices-3-DELETE": "on"}
    response = instructor.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert question.choices.count() == 3

    stored = Answer.objects.get(attempt=attempt)
    assert not stored.picks.exists()  # the pick went with its choice; the snapshot keeps it
    assert not stored.is_correct
    assert "Q1 choice 4" in results(client, attempt)


def test_edits_after_answering_change_nothing_in_the_review(client: Client) -> None:
    _quiz, attempt, question = finished_wrong_on_choice_4(client)
    question.text, question.explanation = "A new question?", "A new explanation."
    question.save()
    question.choices.filter(order=2).update(is_correct=False)
    question.choices.filter(order=4).update(is_correct=True, text="Now right")
    page = results(client, attempt)
    assert "Question 1?" in page
    assert "Because 1." in page
    assert "A new question?" not in page
    assert "Now right" not in page
    assert "✗ Wrong" in page


def test_a_deleted_question_stays_in_the_review_with_its_score(client: Client) -> None:
    _quiz, attempt, question = finished_wrong_on_choice_4(client)
    question.delete()
    assert Answer.objects.filter(attempt=attempt).exists()
    page = results(client, attempt)
    assert "Question 1?" in page
    assert "0 / 1" in page


def test_the_review_lists_the_choices_in_the_order_the_learner_saw(client: Client) -> None:
    quiz = make_quiz(questions=1, shuffle_choices=True)
    question = quiz.questions.get()
    attempt = start(client, quiz)
    natural = [choice.text for choice in question.choices.order_by("order")]
    while [c.text for c in attempt.ordered_choices(question)] == natural:  # a seed that really shuffles
        attempt.shuffle_seed += 1
    attempt.save(update_fields=["shuffle_seed"])
    seen = [choice.text for choice in attempt.ordered_choices(question)]
    answer(client, attempt, question, question.choices.get(order=1))
    page = results(client, attempt)
    positions = [page.index(f'<span class="choice-text">{text}</span>') for text in seen]
    assert positions == sorted(positions)


def test_the_review_folds_the_explanations_of_right_answers_and_loads_plots_lazily(client: Client) -> None:
    quiz = make_quiz(questions=2)
    first, second = quiz.questions.order_by("order")
    first.plot = {"experiment": "rho-power-law", "params": {}}
    first.save()
    attempt = start(client, quiz)
    answer(client, attempt, first, first.choices.get(is_correct=True))
    answer(client, attempt, second, second.choices.filter(is_correct=False).first())
    page = results(client, attempt)
    folds = re.findall(r'<details class="review-fold"( open)?>', page)
    assert folds == ["", " open"]  # right: folded; wrong: open
    assert re.search(r'<img [^>]*width="720" height="430"[^>]*loading="lazy"', page)

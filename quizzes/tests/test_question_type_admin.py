"""Admin shows each question type's own choice fields, under its names for them, and saves them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from quizzes import grading
from quizzes.admin import ChoiceInline
from quizzes.models import Answer, Choice, Question
from quizzes.qtypes import TYPES

from .makers import make_quiz, question_admin_data


@pytest.fixture
def staff_client(db, client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teacher", "t@example.org", "pw"))
    return client


def change_url(question: Question) -> str:
    return reverse("admin:quizzes_question_change", args=[question.pk])


def inline_labels(page: str) -> set[str]:
    """The labels of the choice inline's first form, by the field they name."""
    return {name for name in ChoiceInline.fields if f'for="id_choices-0-{name}' in page}


@pytest.mark.parametrize("kind", list(TYPES))
def test_a_question_shows_its_types_choice_fields_and_saves_unchanged(kind, seed, staff_client) -> None:
    question = Question.objects.filter(kind=kind, template__isnull=True).first()
    page = staff_client.get(change_url(question)).content.decode()
    assert inline_labels(page) == set(TYPES[kind].choice_fields)
    for label in TYPES[kind].choice_fields.values():
        assert f"{label}:</label>" in page or f"{label}</label>" in page, label
    before = stored_choices(question)
    response = staff_client.post(change_url(question), question_admin_data(question))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert stored_choices(question) == before


def stored_choices(question: Question) -> list[dict]:
    """Every stored field but the plot's parameters, which the picker posts in full, defaults included."""
    rows = list(Choice.objects.filter(question=question).order_by("order").values())
    return [row | {"plot": (row["plot"] or {}).get("experiment")} for row in rows]


def test_a_numerical_question_with_one_answer_saves(staff_client) -> None:
    question = make_quiz(questions=1).questions.get()
    question.kind = "numerical"
    question.save()
    question.choices.exclude(order=1).delete()
    question.choices.update(text="0.9", tolerance=0.01, is_correct=True)
    page = staff_client.get(change_url(question)).content.decode()
    assert 'name="choices-TOTAL_FORMS" value="1"' in page  # no blank second answer to trip over
    response = staff_client.post(change_url(question), question_admin_data(question, tolerance="0.01"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert question.choices.get().tolerance == 0.01


def test_changing_the_type_shows_the_new_types_fields_with_what_it_still_needs(staff_client) -> None:
    question = make_quiz(questions=1).questions.get()
    response = staff_client.post(change_url(question), question_admin_data(question, kind="matching"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "every item needs the answer it matches" in page
    assert "Matches" in page
    assert 'for="id_choices-0-match_text"' in page
    assert Question.objects.get(pk=question.pk).kind == "single"

    data = question_admin_data(question, kind="matching")
    for i, choice in enumerate(question.choices.order_by("order")):
        data[f"choices-{i}-match_text"] = f"answer {choice.order}"
    data = {key: value for key, value in data.items() if not key.endswith("-is_correct")}
    response = staff_client.post(change_url(question), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    question.refresh_from_db()
    assert question.kind == "matching"
    assert sorted(question.choices.values_list("match_text", flat=True)) == [
        f"answer {n}" for n in range(1, 5)
    ]


def test_an_attempts_answers_show_what_the_learner_typed_or_paired(seed, staff_client) -> None:
    quiz = Question.objects.get(kind="shortanswer").quiz
    attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    for kind in ("shortanswer", "matching"):
        question = Question.objects.get(kind=kind)
        response = question.type.sample_response(question, list(question.choices.all()), right=False)
        grading.submit_answer(attempt=attempt, question=question, response=response)
    page = staff_client.get(reverse("admin:quizzes_attempt_change", args=[attempt.pk])).content.decode()
    typed = Answer.objects.get(attempt=attempt, question__kind="shortanswer").response_text
    assert typed
    assert f"<p>{typed}</p>" in page
    matching = Question.objects.get(kind="matching")
    first, second = [item for item in matching.choices.order_by("order") if item.text][:2]
    assert f"{first.text} → {second.match_text}" in page  # the wrong sample gives each the next's answer

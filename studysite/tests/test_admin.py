"""Every content model is editable in admin, and admin enforces the content rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from flashcards.models import Card, Deck
from quizzes.models import Choice, Question, Quiz
from quizzes.tests.makers import question_admin_data
from studysite.models import NoteSection, StudySet

CONTENT_MODELS = [StudySet, NoteSection, Quiz, Question, Deck, Card]


@pytest.fixture
def staff_client(client: Client, seed) -> Client:
    user = User.objects.create_superuser("instructor", "i@example.org", "a-long-password-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_changelist_change_and_add_pages_load(staff_client: Client, model) -> None:
    meta = model._meta
    obj = model.objects.first()
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "gradient"}).status_code == 200
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert staff_client.get(change).status_code == 200
    assert staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200


def test_choice_validation_needs_exactly_one_correct() -> None:
    from django.core.exceptions import ValidationError

    make = lambda order, correct: Choice(order=order, text="x", is_correct=correct, feedback="f")  # noqa: E731
    Question().validate_choices([make(1, True), make(2, False)])
    for choices in ([make(1, True), make(2, True)], [make(1, False), make(2, False)], [make(1, True)]):
        with pytest.raises(ValidationError):
            Question().validate_choices(choices)
    with pytest.raises(ValidationError, match="share an order"):
        Question().validate_choices([make(1, True), make(1, False)])


def test_admin_rejects_two_correct_choices_and_saves_nothing(staff_client: Client) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=1)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = staff_client.post(url, question_admin_data(question, [True, True, False, False]))
    assert response.status_code == 200
    assert "exactly one correct choice; 2 are marked correct" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def test_admin_saves_a_valid_change_of_correct_choice(staff_client: Client) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=1)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = staff_client.post(url, question_admin_data(question, [False, True, False, False]))
    assert response.status_code == 302
    assert question.choices.get(is_correct=True).order == 2


def test_view_on_site_links_exist(staff_client: Client) -> None:
    study_set = StudySet.objects.get()
    html = staff_client.get(reverse("admin:studysite_studyset_change", args=[study_set.pk])).content.decode()
    assert "View on site" in html

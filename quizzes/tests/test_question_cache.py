"""The question page reads questions from the cache, and never shows a learner content that has changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Answer, Attempt, Question, Quiz
from studysite.models import NoteSection, StudySet

from .makers import HTMX, make_quiz, question_admin_data, question_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_with_notes() -> Quiz:
    study_set = StudySet.objects.create(title="Gradients", slug="gradients")
    section = NoteSection.objects.create(
        study_set=study_set, order=1, title="Vanishing", anchor="vanishing", body="Why gradients vanish."
    )
    quiz = make_quiz(questions=2, study_set=study_set)
    quiz.questions.update(notes_section=section)
    quiz.save()  # a queryset update sends no signal; saving the quiz renews its content version
    return quiz


def first_question(client: Client, quiz: Quiz) -> tuple[Attempt, Question, str]:
    """Start an attempt and open its first question, which puts that question in the cache."""
    attempt = start(client, quiz)
    question = Question.objects.get(pk=attempt.question_ids[0])
    url = question_url(attempt, question.pk)
    assert client.get(url).status_code == 200
    return attempt, question, url


def test_a_cached_question_page_reads_no_content_tables(client: Client, quiz_with_notes: Quiz) -> None:
    _, _, url = first_question(client, quiz_with_notes)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert len(queries.captured_queries) == 3, tables  # the session, the attempt, its answers
    for table in ("quizzes_question", "quizzes_choice", "studysite_notesection", "studysite_studyset"):
        assert table not in tables


def rename_question(question: Question) -> str:
    question.text = "Renamed question text?"
    question.save()
    return "Renamed question text?"


def rename_choice(question: Question) -> str:
    choice = question.choices.get(order=2)
    choice.text = "A renamed choice"
    choice.save()
    return "A renamed choice"


def rename_section(question: Question) -> str:
    section = question.notes_section
    section.title = "Exploding gradients"
    section.save()
    return "Read the notes: Exploding gradients"


def rename_study_set(question: Question) -> str:
    study_set = question.notes_section.study_set
    study_set.slug = "bptt-gradients"
    study_set.save()
    return "/sets/bptt-gradients/"


@pytest.mark.parametrize(
    ("edit", "answered"),
    # An answered question shows what the learner saw (quizzes.snapshots); its notes link is live.
    [(rename_question, False), (rename_choice, False), (rename_section, True), (rename_study_set, True)],
)
def test_every_content_edit_shows_at_once(
    client: Client, quiz_with_notes: Quiz, edit: Callable, answered: bool
) -> None:
    attempt, question, url = first_question(client, quiz_with_notes)
    if answered:  # the notes link shows once answered
        client.post(
            url, {"choice": attempt.choice_token(question.choices.get(is_correct=True))}, headers=HTMX
        )
    expected = edit(question)
    assert expected in client.get(url).content.decode()


def test_a_deleted_notes_section_loses_its_link(client: Client, quiz_with_notes: Quiz) -> None:
    attempt, question, url = first_question(client, quiz_with_notes)
    client.post(url, {"choice": attempt.choice_token(question.choices.first())}, headers=HTMX)
    assert "Read the notes" in client.get(url).content.decode()
    question.notes_section.delete()
    assert "Read the notes" not in client.get(url).content.decode()


def test_an_instructors_admin_edit_regrades_the_next_answer(client: Client, quiz_with_notes: Quiz) -> None:
    attempt, question, url = first_question(client, quiz_with_notes)
    instructor = Client()
    instructor.force_login(User.objects.create_superuser("instructor", "i@example.org", "a-long-password-1"))
    was_correct = [choice.is_correct for choice in question.choices.order_by("order")]
    now_correct = was_correct[1:] + was_correct[:1]  # the correct choice moves to another row
    data = question_admin_data(question, now_correct, text="Which choice is right now?")
    admin_url = reverse("admin:quizzes_question_change", args=[question.pk])
    assert instructor.post(admin_url, data).status_code == 302

    assert "Which choice is right now?" in client.get(url).content.decode()
    newly_correct = question.choices.get(is_correct=True)
    client.post(url, {"choice": attempt.choice_token(newly_correct)}, headers=HTMX)
    assert Answer.objects.get(attempt=attempt, question=question).is_correct


def test_a_question_moved_to_another_quiz_is_renewed_in_both(client: Client, quiz_with_notes: Quiz) -> None:
    _, question, url = first_question(client, quiz_with_notes)
    other = make_quiz(questions=1)
    question.quiz, question.order, question.text = other, 2, "Moved and reworded?"
    question.save()
    assert "Moved and reworded?" in client.get(url).content.decode()


def test_saving_a_quiz_read_before_an_edit_brings_no_old_content_back(
    client: Client, quiz_with_notes: Quiz
) -> None:
    read_before_the_edit = Quiz.objects.get(pk=quiz_with_notes.pk)
    _, question, url = first_question(client, quiz_with_notes)
    expected = rename_question(question)
    assert expected in client.get(url).content.decode()
    read_before_the_edit.title = "A new title"
    read_before_the_edit.save()  # writes every field, the content version it read included
    assert expected in client.get(url).content.decode()

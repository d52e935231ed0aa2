"""A quiz import creates or updates questions of its own quiz only; a GUID from elsewhere is a conflict."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import exporting, importing
from quizzes.models import Question, Quiz
from studysite.exchange import ImportRejected

from .makers import make_quiz, question_url, start

pytestmark = pytest.mark.django_db

GIFT = "::grad::What vanishes? {=The gradient ~The loss ~The input}\n\n::rho::Which radius? {=rho ~alpha}\n"


def test_a_quiz_json_with_another_quizs_question_guid_is_a_conflict() -> None:
    owner = make_quiz(questions=1, choices=4)
    question = owner.questions.get()
    data = exporting.export_json(make_quiz(questions=1))
    stolen = exporting.export_json(owner)["questions"][0] | {"order": 5}
    stolen["choices"] = stolen["choices"][:2]
    data["questions"].append(stolen)
    with pytest.raises(ImportRejected) as rejected:
        importing.import_quiz(json.dumps(data).encode(), fmt="json")
    assert rejected.value.problems == [
        f"question 2: conflict: its GUID {question.guid} belongs to question 1 of the quiz {owner.slug!r}; "
        "an import changes only its own quiz (remove the GUID to add a copy)"
    ]
    question.refresh_from_db()
    assert question.quiz == owner
    assert question.choices.count() == 4


def test_the_same_gift_file_into_two_quizzes_makes_two_sets_of_questions() -> None:
    first, second = make_quiz(questions=0), make_quiz(questions=0)
    importing.import_quiz(GIFT.encode(), fmt="gift", quiz=first)
    importing.import_quiz(GIFT.encode(), fmt="gift", quiz=second)
    assert first.questions.count() == 2
    assert second.questions.count() == 2
    again = importing.import_quiz(
        GIFT.replace("What vanishes?", "What fades?").encode(), fmt="gift", quiz=first
    )
    assert (again.created, again.updated) == (0, 2)
    assert first.questions.get(order=1).text == "What fades?"
    assert second.questions.get(order=1).text == "What vanishes?"


def test_orders_may_be_swapped_by_a_reimport() -> None:
    quiz = make_quiz(questions=2)
    data = exporting.export_json(quiz)
    data["questions"][0]["order"], data["questions"][1]["order"] = 2, 1
    importing.import_quiz(json.dumps(data).encode(), fmt="json")
    assert list(quiz.questions.order_by("order").values_list("text", flat=True)) == [
        "Question 2?",
        "Question 1?",
    ]


def test_an_order_taken_by_a_question_outside_the_file_is_reported() -> None:
    quiz = make_quiz(questions=2)
    data = exporting.export_json(quiz)
    data["questions"] = [data["questions"][0] | {"guid": "", "order": 2}]
    with pytest.raises(ImportRejected, match="question 1, field order: 2 is taken"):
        importing.import_quiz(json.dumps(data).encode(), fmt="json")
    assert quiz.questions.count() == 2


def write_queries(questions: int) -> int:
    quiz = make_quiz(questions=0)
    gift = "\n\n".join(f"::q{i}::Question {i}? {{=right ~wrong ~other}}" for i in range(questions))
    with CaptureQueriesContext(connection) as queries:
        importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    assert quiz.questions.count() == questions
    return len(queries.captured_queries)


def test_the_write_is_a_few_bulk_statements_however_many_questions() -> None:
    """The write lock is held for statements, not for a loop of per-row validation and saves."""
    assert write_queries(400) <= write_queries(4) + 4  # inserts go in batches of 500


def test_the_question_cache_sees_an_import() -> None:
    quiz = make_quiz(questions=0)
    version = Quiz.objects.get(pk=quiz.pk).content_version
    importing.import_quiz(GIFT.encode(), fmt="gift", quiz=quiz)
    assert Quiz.objects.get(pk=quiz.pk).content_version != version
    assert Question.objects.filter(quiz=quiz).count() == 2


def test_a_reimport_shows_its_new_texts_to_learners(client) -> None:
    quiz = make_quiz(questions=1)
    attempt = start(client, quiz)
    question = quiz.questions.get()
    data = exporting.export_json(quiz)
    data["questions"][0]["text"] = "A *re-imported* question?"
    data["questions"][0]["choices"][0]["text"] = "A re-imported choice with $x^2$"
    importing.import_quiz(json.dumps(data).encode(), fmt="json")
    page = client.get(question_url(attempt, question.pk)).content.decode()
    assert "A <em>re-imported</em> question?" in page
    assert "A re-imported choice with <math" in page

"""Hostile or malformed import files get a clear 4xx naming the field, never a 500, and change nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from flashcards import importing as deck_importing
from flashcards.models import Card, Deck
from quizzes import importing as quiz_importing
from quizzes.models import Question
from studysite.exchange import MAX_BYTES, ImportRejected

pytestmark = pytest.mark.django_db

QUIZ = {
    "format": "studysite-quiz",
    "quiz": {"title": "T", "slug": "t"},
    "questions": [
        {
            "text": "Q?",
            "explanation": "E",
            "choices": [
                {"order": 1, "text": "a", "is_correct": True, "feedback": "f"},
                {"order": 2, "text": "b", "feedback": "f"},
            ],
        }
    ],
}
DECK = {
    "format": "studysite-deck",
    "deck": {"title": "D", "slug": "d"},
    "cards": [{"front": "f", "back": "b"}],
}


def problems_of(call) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        call()
    return rejected.value.problems


def quiz_problems(data: object) -> list[str]:
    return problems_of(lambda: quiz_importing.import_quiz(json.dumps(data).encode(), fmt="json"))


def deck_problems(data: object) -> list[str]:
    return problems_of(lambda: deck_importing.import_deck(json.dumps(data).encode(), fmt="json"))


def test_deep_nesting_is_rejected_not_a_recursion_error() -> None:
    content = b"[" * 100_000
    assert "nested too deeply" in problems_of(lambda: quiz_importing.import_quiz(content, fmt="json"))[0]
    assert "nested too deeply" in problems_of(lambda: deck_importing.import_deck(content, fmt="json"))[0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"study_set": ["x"]}, "study set: must be an object"),
        (
            {"study_set": {"slug": "s", "title": "S", "sections": "abc"}},
            "study set, field sections: must be a list",
        ),
        ({"study_set": {"slug": "s", "title": "S", "sections": [3]}}, "section 1: must be an object"),
        ({"quiz": {"title": ["x"], "slug": "t"}}, "quiz, field title: must be text"),
        (
            {"quiz": {"title": "T", "slug": "t", "pass_mark": "70"}},
            "quiz, field pass_mark: must be a whole number",
        ),
    ],
)
def test_top_level_fields_of_the_wrong_type_are_named(change: dict, problem: str) -> None:
    assert problem in quiz_problems(QUIZ | change)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ({"notes_section": ["x"]}, "question 1, field notes_section: must be text"),
        ({"text": ["a", "list"]}, "question 1, field text: must be text"),
        ({"choices": "abc"}, "question 1, field choices: must be a list"),
        ({"order": "first"}, "question 1, field order: must be a whole number"),
        ({"plot": "lines"}, "question 1, field plot: must be an object"),
    ],
)
def test_question_fields_of_the_wrong_type_are_named(question: dict, problem: str) -> None:
    data = json.loads(json.dumps(QUIZ))
    data["questions"][0] |= question
    assert problem in quiz_problems(data)
    assert not Question.objects.exists()


def test_a_list_is_never_stored_as_its_python_repr() -> None:
    data = json.loads(json.dumps(QUIZ))
    data["questions"][0]["choices"][0]["text"] = ["x", "y"]
    assert "question 1, choice 1, field text: must be text" in quiz_problems(data)
    cards = json.loads(json.dumps(DECK))
    cards["cards"][0]["front"] = ["x"]
    assert "card 1, field front: must be text" in deck_problems(cards)
    assert not Card.objects.exists()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"deck": {"title": "D", "slug": "d", "new_cards_per_day": "ten"}}, "deck, field new_cards_per_day"),
        ({"cards": [{"front": "f", "back": "b", "tags": "a b"}]}, "card 1, field tags: must be a list"),
        (
            {"cards": [{"front": "f", "back": "b", "tags": [1]}]},
            "card 1, field tags: must be a list of words",
        ),
        ({"cards": ["f"]}, "card 1: must be an object"),
    ],
)
def test_deck_fields_of_the_wrong_type_are_named(change: dict, problem: str) -> None:
    assert any(p.startswith(problem) for p in deck_problems(DECK | change))
    assert not Deck.objects.exists()


def test_an_oversized_upload_reports_its_real_size(client: Client) -> None:
    client.force_login(User.objects.create_superuser("staff", "s@example.org", "pw"))
    upload = SimpleUploadedFile("big.json", b" " * (20 * 2**20), content_type="application/json")
    response = client.post(reverse("deck-import"), {"format": "json", "file": upload})
    assert response.status_code == 400
    assert "The file is 20.0 MiB; the limit is 5 MiB." in response.content.decode()
    assert MAX_BYTES == 5 * 2**20

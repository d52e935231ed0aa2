"""Misconception links in files: JSON carries them losslessly, Anki as tags; imports create unknown ones."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quizzes import exporting, importing
from quizzes.models import Choice, Misconception, Question, Quiz

from .makers import question_admin_data

pytestmark = pytest.mark.usefixtures("seed")
SEED_QUIZ = "rnn-gradients-bptt"


def seed_file() -> dict:
    return exporting.export_json(Quiz.objects.get(slug=SEED_QUIZ))


def as_new_quiz(data: dict, slug: str) -> dict:
    """The same questions as a quiz of their own: no GUIDs, another slug."""
    data["quiz"] = {key: value for key, value in data["quiz"].items() if key != "guid"} | {"slug": slug}
    for question in data["questions"]:
        question.pop("guid")
    return data


def test_json_defines_each_misconception_once_and_each_choice_names_its_own() -> None:
    data = seed_file()
    defined = {belief["slug"]: belief for belief in data["misconceptions"]}
    notes = Misconception.objects.get(slug="larger-learning-rate-fixes-exploding").notes_section
    assert len(defined) == len(data["misconceptions"]) >= 12
    assert defined["larger-learning-rate-fixes-exploding"] == {
        "slug": "larger-learning-rate-fixes-exploding",
        "statement": "A larger learning rate fixes exploding gradients.",
        "notes_section": notes.anchor,
        "whatif": "larger-learning-rate",
    }
    q5 = next(q for q in data["questions"] if q["order"] == 5)
    named = {c["text"]: c["misconception"] for c in q5["choices"]}
    assert named["A larger learning rate"] == "larger-learning-rate-fixes-exploding"
    assert named["Gradient clipping"] is None
    used = {c["misconception"] for q in data["questions"] for c in q["choices"]} - {None}
    assert used <= set(defined)


def test_an_import_creates_unknown_misconceptions_lists_them_and_leaves_known_ones_alone() -> None:
    data = as_new_quiz(seed_file(), "copy")
    data["misconceptions"].append(
        {
            "slug": "brand-new-belief",
            "statement": "A belief no site has yet.",
            "notes_section": None,
            "whatif": "",
        }
    )
    q5 = next(q for q in data["questions"] if q["order"] == 5)
    q5["choices"][0]["misconception"] = "brand-new-belief"
    q5["choices"][1]["misconception"] = "undefined-in-the-file"
    known = next(b for b in data["misconceptions"] if b["slug"] == "weight-decay-stops-explosion")
    known["statement"] = "A rewording an import must not apply."
    file = json.dumps(data).encode()
    preview = importing.import_quiz(file, fmt="json", dry_run=True)
    assert preview.new_misconceptions == [
        "brand-new-belief: A belief no site has yet.",
        "undefined-in-the-file: Undefined in the file.",
    ]
    assert not Misconception.objects.filter(slug="brand-new-belief").exists()  # a dry run writes nothing
    importing.import_quiz(file, fmt="json")
    copy = Quiz.objects.get(slug="copy")
    choice = Choice.objects.get(question__quiz=copy, question__order=5, order=q5["choices"][0]["order"])
    assert choice.misconception.statement == "A belief no site has yet."
    assert (
        Misconception.objects.get(slug="weight-decay-stops-explosion").statement
        == "Weight decay stops an explosion."
    )
    lure = Choice.objects.get(question__quiz=copy, question__order=5, text__startswith="Weight decay")
    assert lure.misconception.slug == "weight-decay-stops-explosion"


def test_the_preview_page_lists_the_misconceptions_an_import_would_create(client: Client) -> None:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "pw"))
    data = as_new_quiz(seed_file(), "copy")
    data["questions"][0]["choices"][0]["misconception"] = "brand-new-belief"
    upload = SimpleUploadedFile("quiz.json", json.dumps(data).encode(), content_type="application/json")
    html = client.post("/quizzes/import/", {"file": upload, "format": "json"}).content.decode()
    assert "New misconceptions" in html
    assert "brand-new-belief: Brand new belief." in html


def test_anki_notes_carry_their_questions_misconceptions_as_tags() -> None:
    rows = exporting.quiz_rows(Quiz.objects.get(slug=SEED_QUIZ))
    q5 = Question.objects.get(quiz__slug=SEED_QUIZ, order=5)
    (row,) = [row for row in rows if row.guid == q5.guid]
    assert {
        "misconception::larger-learning-rate-fixes-exploding",
        "misconception::residual-pins-norm-at-one",
        "misconception::weight-decay-stops-explosion",
    } <= set(row.tags)
    practice = exporting.quiz_rows(Quiz.objects.get(slug="rnn-gradients-practice"))
    assert any("misconception::factors-add-up" in row.tags for row in practice)  # a template's rule


def test_admin_refuses_a_template_rule_naming_a_misconception_that_does_not_exist(client: Client) -> None:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "pw"))
    question = Quiz.objects.get(slug="rnn-gradients-practice").questions.get(order=2)
    template = question.template | {"misconceptions": {"k-times": "nowhere-to-be-found"}}
    response = client.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        question_admin_data(question, template=json.dumps(template)),
    )
    assert response.status_code == 200
    assert "no misconception named nowhere-to-be-found" in response.content.decode()
    question.refresh_from_db()
    assert question.template["misconceptions"]["k-times"] == "factors-add-up"

"""Quizzes exported as study decks, Moodle GIFT and Moodle XML, and who may download them."""

from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from quizzes import exporting
from quizzes.models import Attempt, Question, Quiz
from quizzes.tests.makers import answer_every_question, make_quiz
from studysite.note_exports import rows_csv, rows_tsv

pytestmark = pytest.mark.usefixtures("seed")


def quiz() -> Quiz:
    return Quiz.objects.get(slug="rnn-gradients-bptt")


def finish(client: Client) -> None:
    client.post(reverse("attempt-start", args=["rnn-gradients-bptt"]))
    attempt = Attempt.objects.order_by("-started_at").first()
    answer_every_question(client, attempt, right=False)


def test_gift_escapes_its_special_characters_and_keeps_feedback() -> None:
    assert exporting.gift_escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    gift = exporting.export_gift(quiz())
    assert gift.count("::Q") == 22
    assert gift.count("\t####") == 22
    assert "\\{\\\\langle t\\\\rangle\\}" in gift  # LaTeX braces escaped
    blocks = gift.split("::Q")[1:]
    for block in blocks:
        assert block.count(" {\n") == 1  # no unescaped brace opens a second answer list
    for block in blocks[:17]:  # the single-choice questions: one right answer and three wrong
        assert block.count("\t=") == 1
        assert block.count("\t~") == 3


def test_moodle_xml_has_every_question_answer_and_embedded_plot() -> None:
    root = ET.fromstring(exporting.export_moodle_xml(quiz()))
    questions = [node for node in root.findall("question") if node.get("type") != "category"]
    assert len(questions) == 22
    singles = [node for node in questions if node.findtext("single") == "true"]
    assert len(singles) == 17
    for node in singles:
        assert sorted(a.get("fraction") for a in node.findall("answer")) == ["0", "0", "0", "100"]
    for node in questions:
        files = node.findall("generalfeedback/file")
        assert len(files) == 1
        assert base64.b64decode(files[0].text).startswith(b"\x89PNG")
        assert f"@@PLUGINFILE@@/{files[0].get('name')}" in node.find("generalfeedback/text").text


def test_quiz_as_a_deck_puts_the_answer_and_explanation_on_the_back() -> None:
    rows = exporting.quiz_rows(quiz())
    assert len(rows) == 22
    first = rows[0]
    question = quiz().questions.get(order=1)
    assert first.guid == question.guid
    assert question.text in first.front
    assert "Backpropagation through time" in first.back.split("\n\n")[0]
    assert question.explanation in first.back
    assert first.plot == question.plot


def test_learners_download_the_quiz_only_after_finishing_it(client: Client) -> None:
    url = reverse("quiz-export", args=["rnn-gradients-bptt", "csv"])
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("quiz-start", args=["rnn-gradients-bptt"])).content.decode()
    finish(client)
    assert url in client.get(reverse("quiz-start", args=["rnn-gradients-bptt"])).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert len(rows) == 23


def test_staff_download_every_format(client: Client) -> None:
    client.force_login(User.objects.create_user("teach", password="a-long-password-1", is_staff=True))
    for fmt in ("apkg", "csv", "tsv", "gift", "xml"):
        response = client.get(reverse("quiz-export", args=["rnn-gradients-bptt", fmt]))
        assert response.status_code == 200, fmt
    package = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("quiz-export", args=["rnn-gradients-bptt", "apkg"])).content)
    )
    db = sqlite3.connect(":memory:")
    db.deserialize(package.read("collection.anki2"))
    guids = {guid for (guid,) in db.execute("select guid from notes")}
    assert guids == set(
        Question.objects.filter(quiz__slug="rnn-gradients-bptt").values_list("guid", flat=True)
    )
    assert len(json.loads(package.read("media"))) >= 9


def test_admin_exports_selected_quizzes(client: Client) -> None:
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "a-long-password-1"))
    for action, names in (
        ("export_moodle", {"rnn-gradients-bptt.gift.txt", "rnn-gradients-bptt.xml"}),
        ("export_anki", {"rnn-gradients-bptt.apkg"}),
    ):
        response = client.post(
            reverse("admin:quizzes_quiz_changelist"), {"action": action, "_selected_action": [quiz().pk]}
        )
        assert set(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == names


@pytest.mark.django_db
def test_quiz_csv_and_tsv_neutralise_formulas() -> None:
    quiz = make_quiz(questions=1)
    quiz.questions.update(text='=HYPERLINK("http://evil.example","Click")')
    rows = list(csv.reader(io.StringIO(rows_csv(exporting.quiz_rows(quiz)))))
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows_tsv(exporting.quiz_rows(quiz)).startswith("'=HYPERLINK")

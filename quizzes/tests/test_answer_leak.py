"""Before a question is answered, nothing the server sends says which choice is right."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Question, Quiz
from studysite.rendering import render_markdown

from .makers import start

pytestmark = pytest.mark.usefixtures("seed")
# Headers a question page may carry: none of them is about the question.
STANDARD_HEADERS = {
    "content-type", "content-length", "vary", "x-frame-options", "x-content-type-options",
    "referrer-policy", "cross-origin-opener-policy", "content-security-policy", "set-cookie",
}  # fmt: skip


def card_html(html: str) -> str:
    return html.split('<article id="question-card"', 1)[1].split("</article>", 1)[0]


def test_no_seed_question_reveals_its_answer_before_it_is_answered(client: Client) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    attempt = start(client, quiz)
    for question in Question.objects.filter(quiz=quiz).prefetch_related("choices"):
        response = client.get(reverse("attempt-question", args=[attempt.public_id, question.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        card = card_html(html)
        choices = list(question.choices.all())
        assert "is_correct" not in html
        assert not re.search(r'class="[^"]*(correct|right|wrong)', card)
        assert "Correct" not in card
        for choice in choices:
            assert str(render_markdown(choice.feedback)) not in html
        assert str(render_markdown(question.explanation)) not in html
        values = re.findall(r'name="(?:choice|match-[0-9a-f]+)" value="([^"]+)"', card)
        values += re.findall(r'<option value="([^"]+)"', card)
        picked_from = {
            "single": 4,
            "truefalse": 2,
            "multiple": len(choices),
            "matching": 3 * 4,
        }  # three selects of four answers
        assert len(values) == picked_from.get(question.kind, 0), question.kind  # typed answers offer none
        assert not {str(c.pk) for c in choices} & set(values)
        assert all(re.fullmatch(r"[0-9a-f]{20}", value) for value in values)
        if question.kind in ("numerical", "shortanswer"):  # nothing says what to type
            assert not any(choice.text in card for choice in choices), question.kind
        assert {name.lower() for name in response.headers} <= STANDARD_HEADERS


def test_correct_choice_position_varies_between_attempts() -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    question = quiz.questions.get(order=1)
    positions = set()
    for _ in range(20):
        learner = Client()  # one open attempt per learner: each attempt is another learner's
        attempt = start(learner, quiz)
        card = card_html(
            learner.get(reverse("attempt-question", args=[attempt.public_id, question.pk])).content.decode()
        )
        labels = re.findall(r'<span class="choice-text">(.*?)</span>', card)
        positions.add(labels.index("Backpropagation through time"))
    assert len(positions) >= 3


def test_radio_values_differ_between_attempts(client: Client) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    question = quiz.questions.get(order=1)
    seen = []
    for start_over in ("0", "1"):
        client.post(reverse("attempt-start", args=[quiz.slug]), {"start_over": start_over})
        attempt = Attempt.objects.order_by("-started_at").first()
        page = client.get(reverse("attempt-question", args=[attempt.public_id, question.pk])).content.decode()
        seen.append(set(re.findall(r'name="choice" value="([^"]+)"', page)))
    assert not seen[0] & seen[1]

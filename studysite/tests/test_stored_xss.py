"""Script planted in an instructor's Markdown never reaches a learner's page as something that runs.

Each payload goes into every Markdown field a learner sees (question, choices, feedback, explanation,
card faces, notes, descriptions); then every page that shows them is audited for executable content.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from flashcards.models import Card, Deck
from quizzes.models import Attempt, Choice, Question, Quiz
from studysite.models import NoteSection, StudySet

from .html_audit import csp_nonce, executable_content

pytestmark = pytest.mark.django_db
PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "[click me](javascript:alert('xss'))",
    '<a href="jav&#x09;ascript:alert(1)">tab-split scheme</a>',
    "<iframe src=https://evil.example/></iframe>",
    "<svg onload=alert('xss')><circle r=5></circle></svg>",
    "<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>",
    '![pic](x" onerror="alert(1))',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "$\\href{javascript:alert(1)}{x}$ and $$<script>alert(1)</script>$$",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>go</button></form>",
    "<base href=https://evil.example/>",
    "<details open ontoggle=alert(1)>x</details>",
]


def plant(payload: str) -> tuple[Attempt, Deck, Client]:
    """A study set whose every learner-visible Markdown field carries the payload."""
    payload = f"Planted {payload}"
    study_set = StudySet.objects.create(title="Set", slug="set", description=payload)
    section = NoteSection.objects.create(
        study_set=study_set, order=1, title="Notes", anchor="notes", body=payload
    )
    quiz = Quiz.objects.create(study_set=study_set, title="Quiz", slug="quiz", description=payload)
    question = Question.objects.create(
        quiz=quiz, order=1, text=payload, explanation=payload, notes_section=section
    )
    for order in (1, 2):
        Choice.objects.create(
            question=question, order=order, text=payload, is_correct=order == 1, feedback=payload
        )
    deck = Deck.objects.create(study_set=study_set, title="Deck", slug="deck", description=payload)
    Card.objects.create(deck=deck, front=payload, back=payload, notes_section=section)
    client = Client()
    client.force_login(User.objects.create_user("lea", password="a-long-password-1"))
    client.post(reverse("attempt-start", args=[quiz.slug]))
    return Attempt.objects.get(), deck, client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_on_every_page_that_shows_it(payload: str) -> None:
    attempt, deck, client = plant(payload)
    question = attempt.quiz.questions.get()
    question_url = reverse("attempt-question", args=[attempt.public_id, question.pk])
    before = client.get(question_url)
    answered = client.post(
        question_url,
        {"choice": attempt.choice_token(question.choices.first())},
        headers={"HX-Request": "true"},
    )
    card = deck.cards.get()
    pages = [before, answered] + [
        client.get(url)
        for url in [
            "/", "/sets/set/", "/sets/set/notes/", "/quizzes/quiz/", question_url,
            reverse("attempt-results", args=[attempt.public_id]), deck.get_absolute_url(),
            reverse("deck-study", args=[deck.slug]), reverse("deck-study-answer", args=[deck.slug, card.pk]),
            reverse("deck-cram", args=[deck.slug]) + "?side=back",
        ]
    ]  # fmt: skip
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        nonce = csp_nonce(response.headers["Content-Security-Policy"])
        assert executable_content(html, nonce=nonce) == [], (response.request["PATH_INFO"], payload)
        assert "Planted" in html  # the field was shown, so the audit looked at the payload

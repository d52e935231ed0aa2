"""Every POST needs a CSRF token: without one it is refused with 403 and changes nothing.

Each case first fails without the token and then succeeds with it, so the refusal is proven to come
from the CSRF check and not from anything else about the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from flashcards.models import Card, Deck, Review
from quizzes.models import Answer, Attempt, Question

pytestmark = pytest.mark.usefixtures("seed")


def every_view(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from every_view(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf() -> None:
    views = list(every_view())
    assert len(views) > 50  # the admin's views are walked too
    assert [route for route, view in views if getattr(view, "csrf_exempt", False)] == []


@dataclass
class Post:
    """One form: where it posts, what it sends, and how to count what it changes."""

    who: str  # "anonymous", "learner" or "staff"
    url: Callable[[], str]
    data: Callable[[], dict]
    changed: Callable[[], object]
    success: int = 302


def first_question_url() -> str:
    attempt = Attempt.objects.get(user__username="lea")
    return reverse("attempt-question", args=[attempt.public_id, attempt.question_ids[0]])


def right_choice() -> dict:
    attempt = Attempt.objects.get(user__username="lea")
    question = Question.objects.get(pk=attempt.question_ids[0])
    return {"choice": attempt.choice_token(question.choices.get(is_correct=True))}


def card_rate_url() -> str:
    return reverse("deck-study-rate", args=["rnn-gradients-bptt", Deck.objects.get().cards.first().pk])


def deck_file() -> dict:
    upload = SimpleUploadedFile("d.csv", b"front,back,tags\nNew front,New back,t\n")
    return {"format": "csv", "deck": str(Deck.objects.get().pk), "file": upload}


POSTS = {
    "start an attempt": Post(
        "learner", lambda: reverse("attempt-start", args=["rnn-gradients-bptt"]), dict, Attempt.objects.count
    ),
    "answer a question": Post("learner", first_question_url, right_choice, Answer.objects.count),
    "rate a card": Post("learner", card_rate_url, lambda: {"rating": "3"}, Review.objects.count),
    "undo a rating": Post(
        "learner",
        lambda: reverse("deck-study-undo", args=["rnn-gradients-bptt"]),
        dict,
        lambda: Review.objects.filter(undone_at__isnull=False).count(),
    ),
    "sign up": Post(
        "anonymous",
        lambda: reverse("signup"),
        lambda: {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-password-2",
            "password2": "a-long-password-2",
        },
        User.objects.count,
    ),
    "log in": Post(
        "anonymous",
        lambda: reverse("login"),
        lambda: {"username": "lea", "password": "a-long-password-1"},
        Session.objects.count,
    ),
    "reset a password": Post(
        "anonymous",
        lambda: reverse("password_reset"),
        lambda: {"email": "lea@example.org"},
        lambda: len(mail.outbox),
    ),
    "log out": Post("learner", lambda: reverse("logout"), dict, Session.objects.count),
    "import a deck": Post("staff", lambda: reverse("deck-import"), deck_file, Card.objects.count),
    "edit a card in admin": Post(
        "staff",
        lambda: reverse("admin:flashcards_card_add"),
        lambda: {"deck": str(Deck.objects.get().pk), "front": "F", "back": "B", "tags": ""},
        Card.objects.count,
    ),
}


@pytest.fixture
def clients() -> dict[str, Client]:
    """Clients that enforce CSRF as a browser's requests would meet it."""
    learner, staff = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    learner.force_login(User.objects.create_user("lea", "lea@example.org", "a-long-password-1"))
    staff.force_login(User.objects.create_superuser("boss", "b@example.org", "a-long-password-1"))
    for client in (learner, staff):
        client.get("/")  # the page sets the CSRF cookie, as a browser would receive it
    token = learner.cookies["csrftoken"].value
    learner.post(reverse("attempt-start", args=["rnn-gradients-bptt"]), {"csrfmiddlewaretoken": token})
    learner.post(card_rate_url(), {"rating": "1", "csrfmiddlewaretoken": token})  # something to undo
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get("/")
    return {"anonymous": anonymous, "learner": learner, "staff": staff}


@pytest.mark.parametrize("name", POSTS)
def test_post_without_token_is_refused_and_changes_nothing(clients: dict[str, Client], name: str) -> None:
    form = POSTS[name]
    client = clients[form.who]
    before = form.changed()
    refused = client.post(form.url(), form.data())
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    assert form.changed() == before
    allowed = client.post(
        form.url(), {**form.data(), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert allowed.status_code == form.success, allowed.content.decode()[:500]

"""Only staff reach the admin and the instructor pages; learners are sent to log in and change nothing."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from flashcards.models import Card, Deck
from quizzes.models import Question

pytestmark = pytest.mark.usefixtures("seed")


def admin_urls() -> list[str]:
    """The index, and every registered model's list, add and change pages."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        instance = model._default_manager.first()
        if instance is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
    return urls


@pytest.fixture
def learner(client: Client) -> Client:
    client.force_login(User.objects.create_user("lea", password="a-long-password-1"))
    return client


def test_a_learner_is_sent_to_the_admin_login_from_every_admin_page(learner: Client) -> None:
    urls = admin_urls()
    assert len(urls) > 25
    for url in urls:
        response = learner.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_a_learner_cannot_change_content_through_the_admin(learner: Client) -> None:
    question = Question.objects.first()
    cards = Card.objects.count()
    learner.post(
        reverse("admin:flashcards_card_add"), {"deck": Deck.objects.get().pk, "front": "F", "back": "B"}
    )
    learner.post(reverse("admin:quizzes_question_delete", args=[question.pk]), {"post": "yes"})
    assert Card.objects.count() == cards
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_learner_cannot_log_in_to_the_admin(client: Client) -> None:
    User.objects.create_user("lea", password="a-long-password-1")
    response = client.post(reverse("admin:login"), {"username": "lea", "password": "a-long-password-1"})
    assert response.status_code == 200
    assert "correct username and password for a staff account" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_instructor_pages_outside_the_admin_are_staff_only(learner: Client) -> None:
    question = Question.objects.first()
    for url in [reverse("deck-import"), reverse("question-preview", args=[question.pk])]:
        response = learner.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_without_permissions_see_no_model(client: Client) -> None:
    client.force_login(User.objects.create_user("intern", password="a-long-password-1", is_staff=True))
    assert client.get(reverse("admin:quizzes_question_changelist")).status_code == 403
    assert client.get(reverse("admin:flashcards_card_add")).status_code == 403

"""What one visitor can cost is bounded: attempts, sign-ups and logins are limited; a 429 says when."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from quizzes.models import Attempt
from quizzes.tests.makers import make_quiz

pytestmark = pytest.mark.django_db
PASSWORDS = {"password1": "a-long-password-1", "password2": "a-long-password-1"}


def start_over(client: Client, quiz) -> int:
    return client.post(reverse("attempt-start", args=[quiz.slug]), {"start_over": "1"}).status_code


@override_settings(ATTEMPTS_PER_LEARNER="3/h")
def test_starting_attempts_is_limited_per_learner(client: Client) -> None:
    quiz = make_quiz(questions=1)
    assert [start_over(client, quiz) for _ in range(3)] == [302, 302, 302]
    response = client.post(reverse("attempt-start", args=[quiz.slug]), {"start_over": "1"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "try again in" in response.content.decode()
    assert Attempt.objects.count() == 3


@override_settings(ATTEMPTS_PER_ADDRESS="4/h")
def test_starting_attempts_is_limited_per_address_across_sessions() -> None:
    quiz = make_quiz(questions=1)
    statuses = [start_over(Client(), quiz) for _ in range(6)]  # six fresh sessions, one address
    assert statuses == [302] * 4 + [429] * 2


def test_three_hundred_anonymous_starts_make_a_bounded_number_of_attempts() -> None:
    quiz = make_quiz(questions=1)
    client = Client()
    for _ in range(300):
        start_over(client, quiz)
    assert Attempt.objects.count() <= 20


@override_settings(SIGNUPS_PER_ADDRESS="2/h")
def test_sign_ups_are_limited_per_address() -> None:
    def sign_up(n: int) -> int:
        data = {"username": f"new{n}", "email": f"new{n}@example.org"} | PASSWORDS
        return Client().post(reverse("signup"), data).status_code

    assert [sign_up(n) for n in range(3)] == [302, 302, 429]
    assert User.objects.count() == 2


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_failed_logins_lock_the_account_out_even_for_the_right_password(url_name: str) -> None:
    User.objects.create_superuser("teacher", "t@example.org", "the-right-password")
    client = Client()
    url = reverse(url_name)
    statuses = [
        client.post(url, {"username": "teacher", "password": f"wrong-{n}"}).status_code for n in range(50)
    ]
    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    response = client.post(url, {"username": "teacher", "password": "the-right-password"})
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()
    assert int(response["Retry-After"]) == 900
    assert "_auth_user_id" not in client.session


def test_failed_logins_lock_out_an_address_that_tries_many_accounts() -> None:
    for n in range(6):
        User.objects.create_user(f"user{n}", password="a-long-password-1")
    client = Client()
    for n in range(5):
        client.post(reverse("login"), {"username": f"user{n}", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "user5", "password": "a-long-password-1"})
    assert response.status_code == 429


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_an_absurdly_long_username_is_a_failed_login_not_a_500(url_name: str) -> None:
    """Found by fuzzing on PostgreSQL: django-axes' username column holds 255 characters."""
    response = Client().post(reverse(url_name), {"username": "9" * 5_000, "password": "x"})
    assert response.status_code == 200


@override_settings(SIGNUPS_PER_ADDRESS="1/h", TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_limits_count_the_forwarded_address_not_a_spoofed_one() -> None:
    def sign_up(n: int, forwarded: str) -> int:
        data = {"username": f"p{n}", "email": f"p{n}@example.org"} | PASSWORDS
        return Client(HTTP_X_FORWARDED_FOR=forwarded).post(reverse("signup"), data).status_code

    assert sign_up(1, "203.0.113.7") == 302
    assert sign_up(2, "198.51.100.1, 203.0.113.7") == 429  # a made-up left entry changes nothing
    assert sign_up(3, "203.0.113.8") == 302  # another client behind the same proxy

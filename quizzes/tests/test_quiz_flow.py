"""The learner's path over HTTP, with and without htmx, and every bad-input case."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from quizzes.models import Answer, Attempt

from .makers import HTMX, make_question, make_quiz, question_url, start

pytestmark = pytest.mark.django_db


def token_for(client: Client, attempt: Attempt, question_id: int, *, correct: bool) -> str:
    """Find the radio value of the right (or a wrong) choice, as only the server can."""
    question = attempt.quiz.questions.get(pk=question_id)
    choice = question.choices.filter(is_correct=correct).first()
    return attempt.choice_token(choice)


def test_whole_quiz_without_javascript_uses_post_redirect_get(client: Client) -> None:
    quiz = make_quiz(questions=3)
    attempt = start(client, quiz)
    for i, question_id in enumerate(attempt.question_ids):
        url = question_url(attempt, question_id)
        page = client.get(url).content.decode()
        assert f"Question {i + 1} of 3" in page
        response = client.post(url, {"choice": token_for(client, attempt, question_id, correct=i != 1)})
        assert response.status_code == 302
        assert response["Location"] == url
        feedback = client.get(url).content.decode()
        assert ("✓ Correct" if i != 1 else "✗ Not quite") in feedback
    results = client.get(reverse("attempt-results", args=[attempt.public_id])).content.decode()
    assert "2 / 3" in results
    assert "Not passed yet" in results
    assert results.count('class="review-item') == 3
    assert "Because 2." in results  # every explanation is in the review


def test_htmx_submit_returns_the_feedback_panel_only(client: Client) -> None:
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    question_id = attempt.question_ids[0]
    response = client.post(
        question_url(attempt, question_id),
        {"choice": token_for(client, attempt, question_id, correct=False)},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<article id="question-card"')
    assert "<html" not in html
    assert "✗ Not quite" in html
    assert "✓ Correct answer" in html
    assert "Why the correct answer is right" in html
    assert "Because 1." in html
    assert question_url(attempt, attempt.question_ids[1]) in html  # Next
    assert "HX-Request" in response["Vary"]


def test_answered_question_cannot_be_changed(client: Client) -> None:
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    question_id = attempt.question_ids[0]
    url = question_url(attempt, question_id)
    client.post(url, {"choice": token_for(client, attempt, question_id, correct=False)})
    again = client.post(url, {"choice": token_for(client, attempt, question_id, correct=True)}, headers=HTMX)
    assert again.status_code == 200
    assert "✗ Not quite" in again.content.decode()
    assert Answer.objects.get().is_correct is False


def test_missing_choice_gets_400_with_a_message(client: Client) -> None:
    attempt = start(client, make_quiz(questions=1))
    response = client.post(question_url(attempt, attempt.question_ids[0]), {}, headers=HTMX)
    assert response.status_code == 400
    assert "Pick one of the choices" in response.content.decode()
    assert not Answer.objects.exists()


def test_choice_of_another_question_gets_400(client: Client) -> None:
    attempt = start(client, make_quiz(questions=2))
    first, second = attempt.question_ids
    foreign = token_for(client, attempt, second, correct=True)
    response = client.post(question_url(attempt, first), {"choice": foreign})
    assert response.status_code == 400
    assert "does not belong to this question" in response.content.decode()
    assert not Answer.objects.exists()


def test_question_not_in_the_attempt_gets_404_with_a_message(client: Client) -> None:
    attempt = start(client, make_quiz(questions=1))
    stranger = make_quiz(questions=1).questions.get()
    response = client.get(question_url(attempt, stranger.pk))
    assert response.status_code == 404
    assert "not part of your attempt" in response.content.decode()
    assert client.post(question_url(attempt, stranger.pk), {"choice": "x"}).status_code == 404


def test_another_learners_attempt_is_404(client: Client) -> None:
    quiz = make_quiz(questions=1)
    attempt = start(client, quiz)
    other = Client()
    question_id = attempt.question_ids[0]
    assert other.get(question_url(attempt, question_id)).status_code == 404
    post = other.post(
        question_url(attempt, question_id), {"choice": token_for(other, attempt, question_id, correct=True)}
    )
    assert post.status_code == 404
    assert other.get(reverse("attempt-results", args=[attempt.public_id])).status_code == 404
    assert not Answer.objects.exists()

    user = User.objects.create_user("bea", password="pw-123456789")
    other.force_login(user)
    assert other.get(question_url(attempt, question_id)).status_code == 404


def test_logged_in_learner_cannot_open_an_anonymous_attempt_they_do_not_hold(client: Client) -> None:
    attempt = start(client, make_quiz(questions=1))
    intruder = Client()
    intruder.force_login(User.objects.create_user("eve", password="pw-123456789"))
    assert intruder.get(reverse("attempt-resume", args=[attempt.public_id])).status_code == 404


def test_unpublished_quiz_is_invisible_to_learners_but_not_staff(client: Client) -> None:
    quiz = make_quiz(questions=1, published=False)
    assert client.get(reverse("quiz-start", args=[quiz.slug])).status_code == 404
    assert client.post(reverse("attempt-start", args=[quiz.slug])).status_code == 404
    staff = User.objects.create_user("teach", password="pw-123456789", is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("quiz-start", args=[quiz.slug]))
    assert page.status_code == 200
    assert "Draft" in page.content.decode()


def test_results_before_finishing_send_the_learner_back(client: Client) -> None:
    attempt = start(client, make_quiz(questions=2))
    response = client.get(reverse("attempt-results", args=[attempt.public_id]))
    assert response.status_code == 302
    resume = client.get(response["Location"])
    assert resume["Location"] == question_url(attempt, attempt.question_ids[0])


def test_start_page_shows_best_and_last_score_and_resume(client: Client) -> None:
    quiz = make_quiz(questions=2)
    for correct_answers in (2, 1):
        attempt = start(client, quiz)
        for i, question_id in enumerate(attempt.question_ids):
            token = token_for(client, attempt, question_id, correct=i < correct_answers)
            client.post(question_url(attempt, question_id), {"choice": token})
    in_progress = start(client, quiz)
    page = client.get(reverse("quiz-start", args=[quiz.slug])).content.decode()
    assert re.search(r"Your last score</dt><dd>1/2 \(50%\)", page)
    assert re.search(r"Your best score</dt><dd>2/2 \(100%\)", page)
    assert in_progress.get_absolute_url() in page


def test_anonymous_attempt_is_kept_when_the_learner_logs_in(client: Client) -> None:
    attempt = start(client, make_quiz(questions=2))
    User.objects.create_user("cleo", password="a-long-password-1")
    response = client.post(reverse("login"), {"username": "cleo", "password": "a-long-password-1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user.username == "cleo"
    assert client.get(question_url(attempt, attempt.question_ids[0])).status_code == 200


def test_signup_logs_in_and_keeps_the_attempt(client: Client) -> None:
    attempt = start(client, make_quiz(questions=1))
    response = client.post(
        reverse("signup"),
        {
            "username": "dora",
            "email": "dora@example.org",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user.username == "dora"


def test_signup_with_mismatched_passwords_is_400(client: Client) -> None:
    response = client.post(
        reverse("signup"), {"username": "x", "password1": "a-long-password-1", "password2": "different-pw-2"}
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_password_reset_sends_an_email(client: Client, mailoutbox) -> None:
    User.objects.create_user("finn", email="finn@example.org", password="a-long-password-1")
    response = client.post(reverse("password_reset"), {"email": "finn@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_progress_page_lists_attempts_with_a_chart(client: Client) -> None:
    quiz = make_quiz(questions=1)
    for correct in (False, True):
        attempt = start(client, quiz)
        question_id = attempt.question_ids[0]
        client.post(
            question_url(attempt, question_id),
            {"choice": token_for(client, attempt, question_id, correct=correct)},
        )
    html = client.get(reverse("progress")).content.decode()
    assert "<svg" in html
    assert "2 finished attempts: first 0%, latest 100%, best 100%." in html
    assert html.count("<circle") == 2
    assert Client().get(reverse("progress")).content.decode().count("<circle") == 0  # nobody else's


@pytest.mark.parametrize("questions", [3, 30])
def test_question_page_query_count_is_constant(
    client: Client, django_assert_max_num_queries, questions
) -> None:
    quiz = make_quiz(questions=questions, choices=6)
    attempt = start(client, quiz)
    for question_id in attempt.question_ids[:-1]:
        client.post(
            question_url(attempt, question_id),
            {"choice": token_for(client, attempt, question_id, correct=True)},
        )
    last = attempt.question_ids[-1]
    token = token_for(client, attempt, last, correct=True)
    with django_assert_max_num_queries(6):
        client.get(question_url(attempt, last))
    with django_assert_max_num_queries(15):
        client.post(question_url(attempt, last), {"choice": token}, headers=HTMX)
    with django_assert_max_num_queries(8):
        client.get(reverse("attempt-results", args=[attempt.public_id]))
    with django_assert_max_num_queries(8):
        client.get(reverse("quiz-start", args=[quiz.slug]))
    with django_assert_max_num_queries(6):
        client.get(reverse("progress"))


def test_question_removed_after_the_attempt_started_is_a_clear_404(client: Client) -> None:
    quiz = make_quiz(questions=2)
    attempt = start(client, quiz)
    quiz.questions.get(pk=attempt.question_ids[1]).delete()
    make_question(quiz=quiz, order=9)
    response = client.get(question_url(attempt, attempt.question_ids[1]))
    assert response.status_code == 404
    assert "removed from the quiz" in response.content.decode()

"""Every page carries a strict Content-Security-Policy and nothing in it needs an exception to that policy.

The browser tests fail on any CSP violation in Chromium (see conftest); these tests check the policy
itself and every page the site serves, the admin's included, without a browser.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from flashcards.models import Deck
from quizzes.models import Attempt, Question
from quizzes.tests.makers import answer_every_question
from rnnsim.figures import get_or_render, resolve
from rnnsim.models import RenderedPlot

from .html_audit import csp_nonce, executable_content
from .test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.usefixtures("seed")


def learner_pages(client: Client) -> list[str]:
    """Every learner-facing page, with an attempt answered part way so feedback and results exist."""
    client.force_login(User.objects.create_user("lea", password="a-long-password-1"))
    client.post(reverse("attempt-start", args=["rnn-gradients-bptt"]))
    attempt = Attempt.objects.get()
    answer_every_question(client, attempt, right=False)
    first = attempt.question_ids[0]
    deck = Deck.objects.get()
    card = deck.cards.first()
    return [
        "/", "/sets/rnn-gradients-bptt/", "/sets/rnn-gradients-bptt/notes/", "/quizzes/rnn-gradients-bptt/",
        reverse("attempt-question", args=[attempt.public_id, first]),
        reverse("attempt-results", args=[attempt.public_id]), "/progress/", "/decks/",
        deck.get_absolute_url(), reverse("deck-study", args=[deck.slug]),
        reverse("deck-study-answer", args=[deck.slug, card.pk]),
        reverse("deck-cram", args=[deck.slug]) + "?side=back", reverse("deck-stats", args=[deck.slug]),
        "/lab/", "/lab/rho-power-law/", "/lab/cliff/", "/accounts/password_change/", "/no-such-page/",
    ]  # fmt: skip


def staff_pages(client: Client) -> list[str]:
    client.force_login(User.objects.create_superuser("boss", "b@example.org", "a-long-password-1"))
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=4)
    plot = RenderedPlot.objects.get(key=get_or_render(resolve("rho-power-law")).key)
    return [
        "/admin/", "/admin/quizzes/question/", reverse("admin:quizzes_question_change", args=[question.pk]),
        reverse("admin:quizzes_quiz_change", args=[question.quiz_id]), "/admin/flashcards/card/add/",
        "/admin/studysite/studyset/", "/admin/rnnsim/renderedplot/",
        reverse("admin:rnnsim_renderedplot_change", args=[plot.pk]),
        reverse("question-preview", args=[question.pk]),
        reverse("deck-import"),
    ]  # fmt: skip


def assert_strict_and_clean(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in {200, 404}, url
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert executable_content(response.content.decode(), nonce=csp_nonce(policy)) == [], url


def test_every_learner_page_is_clean_under_the_policy(client: Client) -> None:
    for url in learner_pages(client):
        assert_strict_and_clean(client, url)


def test_every_anonymous_page_is_clean_under_the_policy(client: Client) -> None:
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/admin/login/"]:
        assert_strict_and_clean(client, url)


def test_every_admin_page_is_clean_under_the_policy(client: Client) -> None:
    for url in staff_pages(client):
        assert_strict_and_clean(client, url)


def test_htmx_never_evals_runs_swapped_scripts_or_injects_styles(client: Client) -> None:
    html = client.get("/").content.decode()
    config = json.loads(html.split('name="htmx-config" content=\'', 1)[1].split("'>", 1)[0])
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False


def test_production_sends_hsts_and_redirects_plain_http() -> None:
    probe = (
        "import json; from django.test import Client; c = Client(HTTP_HOST='studysite.example.org');"
        "r = c.get('/healthz/', secure=True); plain = c.get('/sets/x/'); probe = c.get('/healthz/');"
        "print(json.dumps({'headers': dict(r.headers), 'plain': [plain.status_code, plain.get('Location')],"
        " 'probe': probe.status_code}))"
    )
    result = run_manage("shell", "-c", probe, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert seen["plain"] == [301, "https://studysite.example.org/sets/x/"]
    assert seen["probe"] == 200  # load balancers check liveness over plain HTTP

"""Hostile input at every form and endpoint: the answer is always a page or a 4xx, never a 5xx.

Two passes over the same table of endpoints: every known-dangerous word in every field the site reads
(exhaustive, so a regression is found on every run), then Hypothesis's random forms. The test client
re-raises any exception a view lets escape, so a crash fails the test outright.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.models import Card, Deck
from quizzes.models import Answer, Attempt, Question

pytestmark = pytest.mark.usefixtures("seed")
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE_WORDS = [
    "", " ", "nan", "NaN", "-nan", "inf", "-Infinity", "1e309", "-1e309", "1e-400", "0x1F", "1_000",
    "9" * 400, "-" + "9" * 400, "\x00", "a\x00b", "null", "None", "[]", "{}", "<script>alert(1)</script>",
    "' OR 1=1 --", "../../etc/passwd", "%00", "\u202e", "🙂" * 300, "ß\u0301", "a" * 20_000,
]  # fmt: skip
FIELDS = [
    "choice", "rating", "shown_at", "q", "n", "side", "format", "deck", "next", "username", "email",
    "password", "password1", "password2", "rho", "T", "seed", "text", "front", "back", "plot__experiment",
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
# Any of the fields the site reads, each present or not, plus a few stray ones.
hostile_form = st.tuples(
    st.dictionaries(st.text(max_size=20), hostile_text, max_size=3),
    st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, hostile_text)),
).map(lambda forms: forms[0] | forms[1])


@dataclass(frozen=True)
class Target:
    client: Client
    method: str
    url: str


@pytest.fixture
def targets() -> list[Target]:
    """Every page and form of the site, for an anonymous visitor, a learner and an instructor."""
    anonymous, learner, staff = Client(), Client(), Client()
    learner.force_login(User.objects.create_user("fuzz", password="a-long-password-1"))
    staff.force_login(User.objects.create_superuser("boss", "b@example.org", "a-long-password-1"))
    learner.post(reverse("attempt-start", args=["rnn-gradients-bptt"]))
    attempt = Attempt.objects.get()
    question_url = reverse("attempt-question", args=[attempt.public_id, attempt.question_ids[0]])
    deck = Deck.objects.get()
    card = deck.cards.first()
    question = Question.objects.first()
    get = [
        "/", "/sets/rnn-gradients-bptt/", "/sets/rnn-gradients-bptt/notes/", "/decks/",
        f"/decks/{deck.slug}/", f"/decks/{deck.slug}/cram/", f"/decks/{deck.slug}/export.csv",
        "/quizzes/rnn-gradients-bptt/", "/lab/", "/lab/rho-power-law/", "/lab/rho-power-law/data.json",
        "/lab/rho-power-law/data.csv", "/lab/no-such/", "/progress/", "/healthz/",
    ]  # fmt: skip
    anonymous_posts = [
        "/lab/rho-power-law/", reverse("signup"), reverse("login"), reverse("password_reset"),
        reverse("attempt-start", args=["rnn-gradients-bptt"]), question_url,
    ]  # fmt: skip
    return [
        *(Target(anonymous, "get", url) for url in get),
        *(
            Target(learner, "get", url)
            for url in ["/", f"/decks/{deck.slug}/", "/quizzes/rnn-gradients-bptt/"]
        ),
        *(Target(anonymous, "post", url) for url in anonymous_posts),
        Target(learner, "get", question_url),
        Target(learner, "post", question_url),
        Target(learner, "get", reverse("attempt-results", args=[attempt.public_id])),
        Target(learner, "get", reverse("deck-study", args=[deck.slug])),
        Target(learner, "get", reverse("deck-study-answer", args=[deck.slug, card.pk])),
        Target(learner, "get", reverse("deck-stats", args=[deck.slug])),
        Target(learner, "post", reverse("deck-study-rate", args=[deck.slug, card.pk])),
        Target(learner, "post", reverse("deck-study-undo", args=[deck.slug])),
        Target(staff, "get", reverse("question-preview", args=[question.pk])),
        Target(staff, "post", reverse("deck-import")),
        Target(staff, "post", reverse("admin:quizzes_question_change", args=[question.pk])),
        Target(staff, "post", reverse("admin:flashcards_card_add")),
    ]


def send(target: Target, form: dict[str, str], *, htmx: bool = False) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(target.client, target.method)(target.url, form, headers=headers)
    assert response.status_code < 500, (target.method, target.url, form, response.content[:300])


def test_every_hostile_word_in_every_field(targets: list[Target]) -> None:
    cards = Card.objects.count()
    for word in HOSTILE_WORDS:
        for target in targets:
            send(target, dict.fromkeys(FIELDS, word))
    assert Answer.objects.count() == 0  # no hostile choice was ever taken for a real one
    assert Card.objects.count() == cards


@given(data=st.data(), form=hostile_form, htmx=st.booleans())
@FUZZ
def test_random_forms_anywhere(
    targets: list[Target], data: st.DataObject, form: dict[str, str], htmx: bool
) -> None:
    send(data.draw(st.sampled_from(targets)), form, htmx=htmx)


@given(content=st.one_of(st.binary(max_size=4000), hostile_text.map(str.encode)), fmt=hostile_text)
@settings(FUZZ, max_examples=40)
def test_deck_import_of_any_file(client: Client, content: bytes, fmt: str) -> None:
    client.force_login(User.objects.get_or_create(username="boss", is_staff=True, is_superuser=True)[0])
    before = Card.objects.count()
    upload = SimpleUploadedFile("deck.txt", content)
    for format_name in [fmt, "json", "csv", "tsv"]:
        response = client.post(reverse("deck-import"), {"format": format_name, "file": upload})
        assert response.status_code < 500
        if response.status_code != 302:
            assert Card.objects.count() == before  # a rejected file changes nothing
        upload.seek(0)


def test_an_oversized_body_is_refused_with_400(client: Client) -> None:
    client.post(reverse("attempt-start", args=["rnn-gradients-bptt"]))
    attempt = Attempt.objects.get()
    url = reverse("attempt-question", args=[attempt.public_id, attempt.question_ids[0]])
    assert client.post(url, {"choice": "x" * (3 * 1024 * 1024)}).status_code == 400
    assert client.post(url, {f"f{i}": "1" for i in range(1500)}).status_code == 400
    assert not Answer.objects.exists()

"""Study, cram and statistics pages over HTTP, with and without htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from flashcards import scheduling
from flashcards.models import Review, Schedule, State
from studysite.models import NoteSection, StudySet

from .makers import make_deck, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def no_fuzz(settings) -> None:
    settings.FSRS_FUZZING = False


@pytest.fixture
def learner(client: Client):
    user = make_user()
    client.force_login(user)
    return user


def test_anonymous_visitors_can_cram_but_not_study(client: Client) -> None:
    deck = make_deck(cards=2)
    response = client.get(reverse("deck-study", args=[deck.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    cram = client.get(reverse("deck-cram", args=[deck.slug]))
    assert cram.status_code == 200
    assert "Front 0" in cram.content.decode()
    back = client.get(reverse("deck-cram", args=[deck.slug]), {"n": "2", "side": "back"}).content.decode()
    assert "Back 1" in back
    assert "Back to the deck" in back
    assert not Schedule.objects.exists()


def test_study_shows_the_front_then_the_back_with_intervals(client: Client, learner) -> None:
    deck = make_deck(cards=2)
    html = client.get(reverse("deck-study", args=[deck.slug])).content.decode()
    assert "Front 0" in html
    assert "Back 0" not in html
    card_id = int(re.search(r"study/cards/(\d+)/", html).group(1))
    back = client.get(reverse("deck-study-answer", args=[deck.slug, card_id]), headers=HTMX).content.decode()
    assert back.lstrip().startswith('<section id="study-card"')
    assert "Back 0" in back
    assert re.findall(r'rating-interval">([^<]+)', back) == ["1m", "6m", "10m", "8d"]


def test_rating_reschedules_and_htmx_returns_the_next_front(client: Client, learner) -> None:
    deck = make_deck(cards=2)
    first = deck.cards.order_by("id").first()
    response = client.post(
        reverse("deck-study-rate", args=[deck.slug, first.pk]), {"rating": "4"}, headers=HTMX
    )
    html = response.content.decode()
    assert "Front 1" in html
    assert Schedule.objects.get(user=learner, card=first).state == 2
    redirect = client.post(
        reverse("deck-study-rate", args=[deck.slug, deck.cards.last().pk]), {"rating": "3"}
    )
    assert redirect.status_code == 302


@pytest.mark.parametrize("rating", ["", "0", "5", "good", "9" * 40])
def test_bad_rating_is_a_400_and_changes_nothing(client: Client, learner, rating) -> None:
    deck = make_deck(cards=1)
    card = deck.cards.get()
    response = client.post(reverse("deck-study-rate", args=[deck.slug, card.pk]), {"rating": rating})
    assert response.status_code == 400
    assert "Again (1), Hard (2), Good (3) or Easy (4)" in response.content.decode()
    assert not Review.objects.exists()


def test_a_card_of_another_deck_is_404(client: Client, learner) -> None:
    deck, other = make_deck(cards=1), make_deck(cards=1)
    foreign = other.cards.get()
    assert client.get(reverse("deck-study-answer", args=[deck.slug, foreign.pk])).status_code == 404
    assert (
        client.post(reverse("deck-study-rate", args=[deck.slug, foreign.pk]), {"rating": "3"}).status_code
        == 404
    )


def test_undo_brings_the_card_back(client: Client, learner) -> None:
    deck = make_deck(cards=2)
    first = deck.cards.order_by("id").first()
    client.post(reverse("deck-study-rate", args=[deck.slug, first.pk]), {"rating": "4"})
    response = client.post(reverse("deck-study-undo", args=[deck.slug]), headers=HTMX)
    html = response.content.decode()
    assert "Back 0" in html  # the undone card, answer side, ready to be rated again
    assert not Schedule.objects.exists()


def test_one_learners_ratings_and_undo_never_touch_anothers(client: Client, learner) -> None:
    deck = make_deck(cards=2)
    card = deck.cards.order_by("id").first()
    client.post(reverse("deck-study-rate", args=[deck.slug, card.pk]), {"rating": "4"})
    other = Client()
    other.force_login(make_user())
    assert other.post(reverse("deck-study-undo", args=[deck.slug])).status_code == 302  # nothing of theirs
    assert not Review.objects.filter(undone_at__isnull=False).exists()
    other.post(reverse("deck-study-rate", args=[deck.slug, card.pk]), {"rating": "1"})
    mine = Schedule.objects.get(user=learner, card=card)
    assert Review.objects.get(user=learner).rating == 4
    assert mine.due - mine.last_review > timedelta(days=1)  # still scheduled by the Easy rating
    assert "Front 1" in other.get(reverse("deck-study", args=[deck.slug])).content.decode()


def test_deck_page_counts_and_stats_page(client: Client, learner) -> None:
    deck = make_deck(cards=4)
    card = deck.cards.first()
    client.post(reverse("deck-study-rate", args=[deck.slug, card.pk]), {"rating": "1"})
    html = client.get(reverse("deck-detail", args=[deck.slug])).content.decode()
    assert "<dt>New</dt><dd>3</dd>" in html
    assert "<dt>Due today</dt><dd>1</dd>" in html
    assert "<dt>Ready now</dt><dd>1</dd>" in html
    stats = client.get(reverse("deck-stats", args=[deck.slug])).content.decode()
    assert "Reviews per day: 1 in all" in stats
    assert stats.count('class="bar"') == 30 + 30 + 8  # reviews and forecast by day, retention by week
    assert "True retention, week by week" in stats
    today = timezone.now().strftime("%d %b")
    assert re.search(rf'<text x="[\d.]+" y="[\d.]+" class="tick">{today}</text>', stats)  # dates along x
    assert re.search(
        r'class="tick" text-anchor="end" dominant-baseline="middle">1</text>', stats
    )  # counts up y
    assert re.search(r'class="bar-value" text-anchor="middle">1</text>', stats)  # each bar says its value


def test_due_today_means_one_thing_on_the_deck_page_the_study_button_and_the_forecast(
    client: Client, learner
) -> None:
    """The report: "Due today 0" beside 23 cards in learning, "Study (33)", and a forecast of 23 today."""
    deck = make_deck(cards=33)
    now = timezone.now()
    later_today = min(now + timedelta(hours=1), scheduling.start_of_day(now) + timedelta(days=1, seconds=-1))
    for card in deck.cards.all()[:23]:
        Schedule.objects.create(user=learner, card=card, state=State.LEARNING, step=1, due=later_today)
    html = client.get(reverse("deck-detail", args=[deck.slug])).content.decode()
    counts = scheduling.counts(deck, learner, now)
    assert f"<dt>Due today</dt><dd>{counts.due_today}</dd>" in html
    assert f"Study ({counts.remaining})" in html
    assert counts.remaining == counts.ready_now + counts.new_left
    stats = client.get(reverse("deck-stats", args=[deck.slug]))
    assert stats.context["forecast_chart"]["bars"][0]["value"] == counts.due_today == 23


def test_retention_week_by_week_is_the_share_of_learned_reviews_not_failed(learner) -> None:
    from flashcards import statistics

    deck = make_deck(cards=1)
    card = deck.cards.get()
    now = timezone.now()
    for rating in (3, 3, 4, 1):
        Review.objects.create(
            user=learner, card=card, rating=rating, reviewed_at=now, was_new=False,
            state_before=State.REVIEW, due_after=now,
        )  # fmt: skip
    chart = statistics.deck_statistics(deck, learner, now)["retention_chart"]
    assert chart["bars"][-1]["value"] == 75.0
    assert chart["bars"][-1]["text"] == "75%"
    assert all(bar["value"] is None for bar in chart["bars"][:-1])
    assert chart["summary"] == "1 of 8 with reviews, the latest 75%."


def test_the_study_page_and_a_rating_read_the_decks_counts_once(client: Client, learner) -> None:
    """Choosing the next card and showing the counts share one read of the learner's schedules."""
    deck = make_deck(cards=3)
    card = deck.cards.first()
    client.get(reverse("deck-study", args=[deck.slug]))
    for url, send in (
        (reverse("deck-study", args=[deck.slug]), client.get),
        (
            reverse("deck-study-rate", args=[deck.slug, card.pk]),
            lambda url: client.post(url, {"rating": 3}, headers=HTMX),
        ),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert send(url).status_code == 200
        schedule_reads = [
            q["sql"] for q in queries if 'FROM "flashcards_schedule"' in q["sql"] and "COUNT(" in q["sql"]
        ]
        assert len(schedule_reads) == 1, url


def test_a_cards_back_reads_its_notes_link_with_the_card(client: Client, learner) -> None:
    """The back's "Notes:" link names a section and its study set: read with the card, not after it."""
    study_set = StudySet.objects.create(title="Gradients", slug="gradients")
    section = NoteSection.objects.create(
        study_set=study_set, order=1, title="Vanishing", anchor="vanishing", body="Why gradients vanish."
    )
    deck = make_deck(cards=2)
    card = deck.cards.first()
    deck.cards.update(notes_section=section)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("deck-study-answer", args=[deck.slug, card.pk]), headers=HTMX)
    assert "Notes: Vanishing" in response.content.decode()
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    assert '"studysite_notesection"' not in tables
    assert '"studysite_studyset"' not in tables


def test_the_undo_button_shows_while_a_rating_is_left_to_undo(client: Client, learner) -> None:
    deck = make_deck(cards=2)
    study = reverse("deck-study", args=[deck.slug])
    assert "data-undo" not in client.get(study).content.decode()  # nothing rated yet
    yesterday = timezone.now() - timedelta(days=1)
    scheduling.review(user=learner, card=deck.cards.first(), rating=Review.Rating.GOOD, now=yesterday)
    assert "data-undo" in client.get(study).content.decode()  # none today, yesterday's still undoable
    scheduling.undo_last(user=learner, deck=deck, now=timezone.now())
    assert "data-undo" not in client.get(study).content.decode()

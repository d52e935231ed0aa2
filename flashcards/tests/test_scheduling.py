"""Scheduling checked against fsrs itself, daily limits, undo, time zones and the quiz link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest
from django.contrib.auth.models import AnonymousUser

from flashcards import scheduling
from flashcards.models import Card, Review, Schedule, State
from quizzes import grading
from quizzes.models import Quiz
from quizzes.qtypes import Response

from .makers import make_deck, make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_fuzz(settings) -> None:
    settings.FSRS_FUZZING = False


def test_due_times_equal_what_fsrs_returns_for_the_same_history() -> None:
    deck = make_deck(cards=1, desired_retention=0.85)
    card, user = deck.cards.get(), make_user()
    reference = fsrs.Card(card_id=card.pk, due=T0)
    scheduler = fsrs.Scheduler(desired_retention=0.85, enable_fuzzing=False)
    history = [(3, 0), (3, 600), (4, 86400), (1, 9 * 86400), (3, 9 * 86400 + 700), (2, 20 * 86400)]
    for rating, offset in history:
        moment = T0 + timedelta(seconds=offset)
        reference, _ = scheduler.review_card(reference, fsrs.Rating(rating), moment)
        log = scheduling.review(user=user, card=card, rating=rating, now=moment)
        schedule = Schedule.objects.get(user=user, card=card)
        assert schedule.due == reference.due
        assert log.due_after == reference.due
        assert schedule.state == int(reference.state)
        assert schedule.step == reference.step
        assert schedule.stability == pytest.approx(reference.stability, rel=1e-12)
        assert schedule.difficulty == pytest.approx(reference.difficulty, rel=1e-12)
    assert Review.objects.filter(user=user).count() == len(history)


def test_button_intervals_are_the_schedulers() -> None:
    deck = make_deck(cards=1)
    intervals = scheduling.next_intervals(deck, deck.cards.get(), make_user(), T0)
    labels = [scheduling.format_interval(intervals[r]) for r in Review.Rating]
    assert labels == ["1m", "6m", "10m", "8d"]
    assert scheduling.format_interval(timedelta(days=75)) == "2.5mo"
    assert scheduling.format_interval(timedelta(days=800)) == "2.2y"


def test_new_card_limit_per_day() -> None:
    deck = make_deck(cards=6, new_cards_per_day=3)
    user = make_user()
    shown = []
    while (card := scheduling.next_card(deck, user, T0)) is not None:
        shown.append(card.pk)
        scheduling.review(user=user, card=card, rating=Review.Rating.EASY, now=T0)
    assert len(shown) == 3
    assert scheduling.counts(deck, user, T0).new == 3
    tomorrow = T0 + timedelta(days=1)
    assert scheduling.next_card(deck, user, tomorrow) is not None  # the limit is per UTC day


def test_todays_count_takes_every_kept_review_and_the_limits_only_studys() -> None:
    deck = make_deck(cards=4, new_cards_per_day=3)
    user = make_user()
    first, second, third = deck.cards.order_by("id")[:3]
    scheduling.review(user=user, card=first, rating=Review.Rating.GOOD, now=T0)
    scheduling.review(user=user, card=second, rating=Review.Rating.AGAIN, now=T0, source=Review.Source.QUIZ)
    scheduling.review(user=user, card=third, rating=Review.Rating.GOOD, now=T0)
    scheduling.undo_last(user=user, deck=deck, now=T0)  # the third is taken back
    counts = scheduling.counts(deck, user, T0)
    assert counts.done_today == 2  # the study review and the quiz's
    assert counts.new_today == 2  # the quiz's review spends none of the day's new cards


def test_review_limit_per_day() -> None:
    deck = make_deck(cards=5, reviews_per_day=2, new_cards_per_day=0)
    user = make_user()
    for card in deck.cards.all():
        Schedule.objects.create(
            user=user,
            card=card,
            state=State.REVIEW,
            stability=5,
            difficulty=5,
            due=T0 - timedelta(days=1),
            last_review=T0 - timedelta(days=6),
        )
    reviewed = 0
    while (card := scheduling.next_card(deck, user, T0)) is not None:
        scheduling.review(user=user, card=card, rating=Review.Rating.GOOD, now=T0)
        reviewed += 1
    assert reviewed == 2
    assert scheduling.counts(deck, user, T0).due == 3


def test_learning_cards_come_back_within_the_learn_ahead_window() -> None:
    deck = make_deck(cards=1, new_cards_per_day=1)
    card, user = deck.cards.get(), make_user()
    scheduling.review(user=user, card=card, rating=Review.Rating.AGAIN, now=T0)  # due in 1 minute
    assert scheduling.next_card(deck, user, T0) == card


def test_undo_restores_the_schedule_exactly() -> None:
    deck = make_deck(cards=1)
    card, user = deck.cards.get(), make_user()
    scheduling.review(user=user, card=card, rating=Review.Rating.GOOD, now=T0)
    before = Schedule.objects.values().get(user=user, card=card)
    scheduling.review(user=user, card=card, rating=Review.Rating.EASY, now=T0 + timedelta(minutes=10))
    undone = scheduling.undo_last(user=user, deck=deck, now=T0 + timedelta(minutes=11))
    assert undone.rating == Review.Rating.EASY
    assert undone.undone_at is not None
    assert Schedule.objects.values().get(user=user, card=card) == before
    scheduling.undo_last(user=user, deck=deck, now=T0 + timedelta(minutes=12))
    assert not Schedule.objects.filter(user=user, card=card).exists()  # new again
    assert Review.objects.filter(user=user).count() == 2  # the log keeps both, marked undone
    assert scheduling.undo_last(user=user, deck=deck, now=T0) is None


def test_undo_touches_only_the_learners_own_ratings() -> None:
    deck = make_deck(cards=1)
    card, ada, bea = deck.cards.get(), make_user(), make_user()
    scheduling.review(user=ada, card=card, rating=Review.Rating.GOOD, now=T0)
    assert scheduling.undo_last(user=bea, deck=deck, now=T0) is None
    assert Schedule.objects.filter(user=ada).exists()


def test_times_are_stored_in_utc_whatever_zone_they_arrive_in() -> None:
    deck = make_deck(cards=1)
    card, user = deck.cards.get(), make_user()
    tokyo = T0.astimezone(ZoneInfo("Asia/Tokyo"))
    log = scheduling.review(user=user, card=card, rating=Review.Rating.EASY, now=tokyo)
    log.refresh_from_db()
    assert log.reviewed_at == T0
    assert log.reviewed_at.utcoffset() == timedelta(0)
    assert Schedule.objects.get(user=user).due == T0 + timedelta(days=8)
    with pytest.raises(ValueError, match="timezone-aware"):
        scheduling.review(user=user, card=card, rating=3, now=datetime(2026, 3, 1, 9, 0))


def test_the_day_boundary_is_utc_midnight() -> None:
    deck = make_deck(cards=3, new_cards_per_day=1)
    user = make_user()
    late = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
    scheduling.review(user=user, card=scheduling.next_card(deck, user, late), rating=4, now=late)
    assert scheduling.next_card(deck, user, late) is None
    assert scheduling.next_card(deck, user, late + timedelta(minutes=2)) is not None


@pytest.mark.usefixtures("seed")
def test_a_wrong_quiz_answer_makes_the_sections_cards_due_now() -> None:
    user = make_user()
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    attempt = grading.start_attempt(quiz=quiz, user=user)
    question = quiz.questions.get(order=5)  # gradient clipping, section "exploding-gradients"
    section_cards = Card.objects.filter(notes_section=question.notes_section)
    assert section_cards.count() >= 3
    wrong = question.choices.filter(is_correct=False).first()
    answer, _ = grading.submit_answer(attempt=attempt, question=question, response=Response((wrong,)))
    schedules = Schedule.objects.filter(user=user)
    assert set(schedules.values_list("card_id", flat=True)) == set(section_cards.values_list("pk", flat=True))
    assert all(s.due == answer.answered_at for s in schedules)
    assert set(Review.objects.filter(user=user).values_list("rating", "source")) == {(1, "quiz")}


@pytest.mark.usefixtures("seed")
def test_right_answers_and_anonymous_learners_leave_schedules_alone() -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    question = quiz.questions.get(order=5)
    user = make_user()
    attempt = grading.start_attempt(quiz=quiz, user=user)
    grading.submit_answer(
        attempt=attempt, question=question, response=Response((question.choices.get(is_correct=True),))
    )
    anonymous = grading.start_attempt(quiz=quiz, user=AnonymousUser())
    grading.submit_answer(
        attempt=anonymous,
        question=question,
        response=Response((question.choices.filter(is_correct=False).first(),)),
    )
    assert not Schedule.objects.exists()

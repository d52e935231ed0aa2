"""FSRS spaced repetition: what to study next, what a rating does, and how to undo it.

The fsrs package does the scheduling; this module keeps its state per learner and card, enforces
the deck's daily limits, and logs every rating. Every time is timezone-aware UTC, and a "day" is a
UTC calendar day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import fsrs
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q
from django.dispatch import receiver

from quizzes.certainty import CONFIDENT, UNSURE
from quizzes.misconceptions import misconception_sections
from quizzes.signals import answer_recorded

from .models import Card, Deck, Review, Schedule, ScheduleQuerySet, State


def utc(moment: datetime) -> datetime:
    """Any aware datetime as UTC; a naive one is a programming error, not something to guess about."""
    if moment.tzinfo is None:
        raise ValueError("scheduling needs timezone-aware datetimes")
    return moment.astimezone(UTC)


def start_of_day(moment: datetime) -> datetime:
    return datetime.combine(utc(moment).date(), time.min, tzinfo=UTC)


def due_by_end_of_day(now: datetime) -> Q:
    """What "due today" means everywhere: due before the end of today (UTC), overdue ones included."""
    return Q(due__lt=start_of_day(now) + timedelta(days=1))


def due_today(schedules: ScheduleQuerySet, now: datetime) -> ScheduleQuerySet:
    return schedules.filter(due_by_end_of_day(now))


def scheduler_for(deck: Deck, *, fuzzing: bool | None = None) -> fsrs.Scheduler:
    """The deck's FSRS scheduler; intervals are fuzzed as in Anki unless settings.FSRS_FUZZING is off."""
    return fsrs.Scheduler(
        desired_retention=deck.desired_retention,
        enable_fuzzing=settings.FSRS_FUZZING if fuzzing is None else fuzzing,
    )


def to_fsrs(card: Card, schedule: Schedule | None, now: datetime) -> fsrs.Card:
    if schedule is None:
        return fsrs.Card(card_id=card.pk, due=now)
    return fsrs.Card(
        card_id=card.pk,
        state=fsrs.State(schedule.state),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=utc(schedule.due),
        last_review=utc(schedule.last_review) if schedule.last_review else None,
    )


@dataclass(frozen=True)
class DeckCounts:
    """The one definition of what is due, used by the deck page, the study session and the statistics.

    Due today: every studied card, learning or review, due before the end of today (UTC), the same
    count as today's bar of the forecast. Ready now: what the study session shows at once, within the
    daily review limit. The Study button adds the new cards still allowed today.
    """

    new: int  # never studied
    learning: int  # in learning or relearning
    learning_due: int  # of those, due within the learn-ahead window
    due: int  # review cards due today
    due_today: int  # every studied card due before the end of today, learning ones included
    new_today: int  # new cards still allowed today
    reviews_today: int  # reviews still allowed today
    done_today: int  # reviews recorded today and not undone, from study or from quiz answers

    @property
    def new_left(self) -> int:
        return min(self.new, self.new_today)

    @property
    def due_left(self) -> int:
        return min(self.due, self.reviews_today)

    @property
    def ready_now(self) -> int:
        return self.learning_due + self.due_left

    @property
    def remaining(self) -> int:
        """Cards the study session will still show now: ready ones and today's new ones."""
        return self.ready_now + self.new_left


def counts(deck: Deck, user: AbstractBaseUser, now: datetime) -> DeckCounts:
    """Every count in three queries (a learner's schedules, today's reviews, the deck's cards): the
    study page and the home page show them on every view."""
    now = utc(now)
    due_today = due_by_end_of_day(now)
    in_learning = Q(state__in=[State.LEARNING, State.RELEARNING])
    # Each alias ends in _count: one named like a field ("due") would replace that field in the filters.
    schedules = Schedule.objects.filter(user=user, card__deck=deck).aggregate(
        studied_count=Count("pk"),
        learning_count=Count("pk", filter=in_learning),
        learning_due_count=Count("pk", filter=in_learning & Q(due__lte=now + LEARN_AHEAD)),
        due_count=Count("pk", filter=Q(state=State.REVIEW) & due_today),
        due_today_count=Count("pk", filter=due_today),
    )
    studied = Q(source=Review.Source.STUDY)  # the daily limits count study reviews alone
    done_today = Review.objects.filter(
        user=user, card__deck=deck, reviewed_at__gte=start_of_day(now), undone_at__isnull=True
    ).aggregate(
        done_count=Count("pk"),
        new_count=Count("pk", filter=studied & Q(was_new=True)),
        review_count=Count("pk", filter=studied & Q(was_new=False, state_before=State.REVIEW)),
    )
    return DeckCounts(
        new=deck.cards.count() - schedules["studied_count"],
        learning=schedules["learning_count"],
        due=schedules["due_count"],
        due_today=schedules["due_today_count"],
        new_today=max(deck.new_cards_per_day - done_today["new_count"], 0),
        reviews_today=max(deck.reviews_per_day - done_today["review_count"], 0),
        done_today=done_today["done_count"],
        learning_due=schedules["learning_due_count"],
    )


LEARN_AHEAD = timedelta(minutes=20)  # as in Anki: a learning card due within 20 minutes is shown now


def next_card(
    deck: Deck, user: AbstractBaseUser, now: datetime, allowance: DeckCounts | None = None
) -> Card | None:
    """Learning cards due now, then reviews due today, then new cards within the daily limits, and
    only when nothing else is left, learning cards due within the next 20 minutes (Anki's order).

    ``allowance`` is the deck's counts at ``now``, when the caller has them already."""
    now = utc(now)
    allowance = allowance or counts(deck, user, now)
    schedules = Schedule.objects.filter(user=user, card__deck=deck).select_related("card")
    learning = schedules.filter(state__in=[State.LEARNING, State.RELEARNING]).order_by("due")
    if (schedule := learning.filter(due__lte=now).first()) is not None:
        return schedule.card
    if allowance.reviews_today:
        reviews_due = schedules.filter(due_by_end_of_day(now), state=State.REVIEW)
        if (schedule := reviews_due.order_by("due").first()) is not None:
            return schedule.card
    if allowance.new_today and (card := deck.cards.exclude(schedules__user=user).order_by("id").first()):
        return card
    if (schedule := learning.filter(due__lte=now + LEARN_AHEAD).first()) is not None:
        return schedule.card
    return None


def next_intervals(deck: Deck, card: Card, user: AbstractBaseUser, now: datetime) -> dict[int, timedelta]:
    """What each rating would do, for the button labels ("10m", "1d")."""
    now = utc(now)
    scheduler = scheduler_for(deck, fuzzing=False)  # labels show the unfuzzed interval, as Anki's do
    current = to_fsrs(card, Schedule.objects.filter(user=user, card=card).first(), now)
    return {
        rating: scheduler.review_card(current, fsrs.Rating(rating), now)[0].due - now
        for rating in Review.Rating
    }


def format_interval(delta: timedelta) -> str:
    """Anki's short labels: 45s, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.0f}h"
    days = seconds / 86400
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


@transaction.atomic
def review(
    *,
    user: AbstractBaseUser,
    card: Card,
    rating: int,
    now: datetime,
    duration_ms: int | None = None,
    source: str = Review.Source.STUDY,
) -> Review:
    """Apply one rating through FSRS, save the new schedule and append the log entry."""
    now = utc(now)
    rating = Review.Rating(rating)
    schedule = Schedule.objects.select_for_update().filter(user=user, card=card).first()
    before = to_fsrs(card, schedule, now)
    after, _ = scheduler_for(card.deck).review_card(before, fsrs.Rating(rating), now, duration_ms)
    log = Review(
        user=user,
        card=card,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration_ms,
        source=source,
        was_new=schedule is None,
        due_after=after.due,
    )
    if schedule is not None:
        log.state_before, log.step_before = schedule.state, schedule.step
        log.stability_before, log.difficulty_before = schedule.stability, schedule.difficulty
        log.due_before, log.last_review_before = schedule.due, schedule.last_review
        log.recheck_early_before = schedule.recheck_early
    else:
        schedule = Schedule(user=user, card=card)
    schedule.state, schedule.step = int(after.state), after.step
    schedule.stability, schedule.difficulty = after.stability, after.difficulty
    schedule.due, schedule.last_review = after.due, after.last_review
    if schedule.recheck_early and source == Review.Source.STUDY and rating > Review.Rating.AGAIN:
        # The early second review after a confident error: passing it once does not earn a long interval.
        schedule.due = min(schedule.due, now + timedelta(hours=settings.STUDYSITE_EARLY_RECHECK_HOURS))
        schedule.recheck_early = False
        log.due_after = schedule.due
    schedule.full_clean(validate_unique=False)
    schedule.save()
    log.save()
    return log


@transaction.atomic
def undo_last(*, user: AbstractBaseUser, deck: Deck, now: datetime) -> Review | None:
    """Restore the schedule from before the learner's last study rating in this deck."""
    last = (
        Review.objects.select_for_update()
        .filter(user=user, card__deck=deck, undone_at__isnull=True, source=Review.Source.STUDY)
        .order_by("-reviewed_at", "-id")
        .first()
    )
    if last is None:
        return None
    if last.was_new:
        Schedule.objects.filter(user=user, card=last.card).delete()
    else:
        Schedule.objects.filter(user=user, card=last.card).update(
            state=last.state_before,
            step=last.step_before,
            stability=last.stability_before,
            difficulty=last.difficulty_before,
            due=last.due_before,
            last_review=last.last_review_before,
            recheck_early=last.recheck_early_before,
        )
    last.undone_at = utc(now)
    last.save(update_fields=["undone_at"])
    return last


def relearn_section(
    *,
    user: AbstractBaseUser,
    section_id: int,
    now: datetime,
    rating: int = Review.Rating.AGAIN,
    recheck: bool = False,
) -> int:
    """A quiz answer rates the section's cards: Again (due now) for a wrong one, Hard for a right but unsure
    one. ``recheck`` marks them for an early second review (a confident error). Returns how many."""
    now = utc(now)
    cards = Card.objects.filter(notes_section_id=section_id).select_related("deck")
    for card in cards:
        review(user=user, card=card, rating=rating, now=now, source=Review.Source.QUIZ)
    if rating == Review.Rating.AGAIN:
        marked = {"recheck_early": True} if recheck else {}  # a later, unsure error keeps an earlier mark
        Schedule.objects.filter(Q(user=user) & Q(card__in=cards)).update(due=now, **marked)
    return len(cards)


@receiver(answer_recorded)
def relearn_after_quiz_answer(sender, *, answer, **kwargs) -> None:
    """Quiz results feed the schedule. A wrong answer brings back now the cards of the question's section
    and of the sections that correct the misconceptions it suggests: as Again, and for an early second
    review when the learner was sure (certainty 3). A right answer given unsure (certainty 1) rates the
    question's section's cards Hard."""
    attempt, question = answer.attempt, answer.question
    if attempt.user_id is None:
        return
    if answer.is_correct:
        if answer.certainty == UNSURE and question.notes_section_id is not None:
            relearn_section(
                user=attempt.user,
                section_id=question.notes_section_id,
                now=answer.answered_at,
                rating=Review.Rating.HARD,
            )
        return
    sections = {question.notes_section_id, *misconception_sections(answer)} - {None}
    for section_id in sorted(sections):
        relearn_section(
            user=attempt.user,
            section_id=section_id,
            now=answer.answered_at,
            recheck=answer.certainty == CONFIDENT,
        )

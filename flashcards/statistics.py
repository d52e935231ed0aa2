"""A learner's deck statistics: reviews per day, the due forecast, and true retention."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Deck, Review, Schedule, State
from .scheduling import due_today, start_of_day, utc

DAYS = 30
BAR_WIDTH, CHART_HEIGHT = 14, 120


def bars(labels: list[str], values: list[int]) -> dict:
    """Bar geometry for a small inline SVG chart, drawn by the template."""
    top = max(values, default=0) or 1
    return {
        "width": BAR_WIDTH * len(values),
        "height": CHART_HEIGHT,
        "max": top,
        "total": sum(values),
        "bars": [
            {
                "x": i * BAR_WIDTH,
                "height": round(CHART_HEIGHT * value / top, 1),
                "y": round(CHART_HEIGHT - CHART_HEIGHT * value / top, 1),
                "label": label,
                "value": value,
            }
            for i, (label, value) in enumerate(zip(labels, values, strict=True))
        ],
    }


def deck_statistics(deck: Deck, user: AbstractBaseUser, now: datetime) -> dict:
    today = start_of_day(utc(now))
    reviews = Review.objects.filter(
        user=user, card__deck=deck, undone_at__isnull=True, source=Review.Source.STUDY
    )
    since = today - timedelta(days=DAYS - 1)
    per_day = Counter(
        moment.date()
        for moment in reviews.filter(reviewed_at__gte=since).values_list("reviewed_at", flat=True)
    )
    past_days = [(since + timedelta(days=i)).date() for i in range(DAYS)]
    schedules = Schedule.objects.filter(user=user, card__deck=deck)
    due_per_day = Counter(
        (utc(due) - today).days
        for due in schedules.filter(
            due__gte=today + timedelta(days=1), due__lt=today + timedelta(days=DAYS)
        ).values_list("due", flat=True)
    )
    due_per_day[0] = due_today(schedules, now).count()  # the deck page's and the study button's count
    # True retention, as Anki defines it: of the reviews of cards already in review, the share not failed.
    mature = reviews.filter(state_before=State.REVIEW)
    passed = mature.exclude(rating=Review.Rating.AGAIN).count()
    total = mature.count()
    return {
        "reviews_chart": bars([d.strftime("%d %b") for d in past_days], [per_day[d] for d in past_days]),
        "forecast_chart": bars(
            [(today + timedelta(days=i)).strftime("%d %b") for i in range(DAYS)],
            [due_per_day[i] for i in range(DAYS)],
        ),
        "retention": passed / total if total else None,
        "retention_reviews": total,
        "studied_cards": schedules.count(),
        "state_counts": {State(s).label: schedules.filter(state=s).count() for s in State},
    }

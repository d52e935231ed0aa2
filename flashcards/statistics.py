"""A learner's deck statistics: reviews per day, the due forecast, and true retention."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Deck, Review, Schedule, State
from .scheduling import due_today, start_of_day, utc

DAYS = 30
WEEKS = 8
BAR_WIDTH, CHART_HEIGHT = 14, 120
LEFT, BOTTOM, TOP = 34, 22, 14  # room for the y axis's values, the dates, and values above the bars


def bars(
    labels: list[str],
    values: list[float | None],
    *,
    every: int = 7,
    percent: bool = False,
    bar: int = BAR_WIDTH,
) -> dict:
    """Geometry for a small inline SVG bar chart with labelled axes, drawn by the template.

    Dates (every ``every``-th label) go along x, counts (or percentages) up y with the top and the
    middle marked, and each bar with a value says it above itself. None is a day with no data.
    """
    top = 100 if percent else max((v for v in values if v is not None), default=0) or 1
    suffix = "%" if percent else ""
    known = [v for v in values if v is not None]
    if percent:
        summary = f"{len(known)} of {len(values)} with reviews" + (
            f", the latest {round(known[-1])}%." if known else "."
        )
    else:
        summary = f"{sum(known)} in all; the tallest bar is {max(known, default=0)}."
    return {
        "width": LEFT + bar * len(values) + 30,  # the last date label runs past its bar
        "height": TOP + CHART_HEIGHT + BOTTOM,
        "left": LEFT,
        "top": TOP,
        "bottom": TOP + CHART_HEIGHT,
        "summary": summary,
        "y_ticks": [
            {"y": TOP + CHART_HEIGHT * (1 - value / top), "text": f"{value:g}{suffix}"}
            for value in sorted({0, top, *([top / 2] if top % 2 == 0 else [])})
        ],
        "bar_width": bar - 2,
        "bars": [
            {
                "x": LEFT + i * bar + 1,
                "middle": LEFT + i * bar + bar / 2,
                "height": round(CHART_HEIGHT * (value or 0) / top, 1),
                "y": round(TOP + CHART_HEIGHT - CHART_HEIGHT * (value or 0) / top, 1),
                "label": label,
                "value": value,
                "text": "" if not value else f"{round(value)}{suffix}",
                "tick": label if i % every == 0 else "",
            }
            for i, (label, value) in enumerate(zip(labels, values, strict=True))
        ],
    }


def weekly_retention(mature_reviews, today: datetime) -> tuple[list[str], list[float | None]]:
    """True retention week by week: of the reviews of learned cards, the share not rated Again."""
    start = today - timedelta(weeks=WEEKS - 1, days=today.weekday())
    totals, passed = Counter(), Counter()
    for moment, rating in mature_reviews.filter(reviewed_at__gte=start).values_list("reviewed_at", "rating"):
        week = (utc(moment) - start).days // 7
        totals[week] += 1
        passed[week] += rating != Review.Rating.AGAIN
    labels = [(start + timedelta(weeks=w)).strftime("%d %b") for w in range(WEEKS)]
    return labels, [100 * passed[w] / totals[w] if totals[w] else None for w in range(WEEKS)]


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
        "retention_chart": bars(*weekly_retention(mature, today), every=1, percent=True, bar=48),
        "retention": passed / total if total else None,
        "retention_reviews": total,
        "studied_cards": schedules.count(),
        "state_counts": {State(s).label: schedules.filter(state=s).count() for s in State},
    }

"""The home page's "what to do today" for a signed-in learner: due cards, open attempts, scores, notes.

This is the one page that gathers the apps' records side by side, so it lives with the project's URLs
rather than in any one app. Its queries are bounded by the number of decks and quizzes, never by the
length of the learner's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone

from flashcards import scheduling
from flashcards.models import Deck
from quizzes.learners import learner_attempts
from quizzes.models import Attempt, Quiz

from .models import NoteSection

RECENT_SECTIONS = 5


@dataclass(frozen=True)
class TodaysWork:
    decks: list[tuple[Deck, scheduling.DeckCounts]]
    open_attempts: list[Attempt]
    last_scores: list[Attempt]
    sections_to_reread: list[NoteSection]

    @property
    def cards_ready(self) -> int:
        return sum(counts.remaining for _, counts in self.decks)


def todays_work(request: HttpRequest) -> TodaysWork:
    now, attempts = timezone.now(), learner_attempts(request)
    latest = attempts.completed().filter(quiz=OuterRef("pk")).order_by("-finished_at").values("pk")[:1]
    last_ids = Quiz.objects.published().annotate(last=Subquery(latest)).values_list("last", flat=True)
    sections = (
        NoteSection.objects.filter(
            questions__answers__attempt__in=attempts, questions__answers__is_correct=False
        )
        .annotate(last_wrong=Max("questions__answers__answered_at"))
        .select_related("study_set")
        .order_by("-last_wrong")[:RECENT_SECTIONS]
    )
    return TodaysWork(
        decks=[(deck, scheduling.counts(deck, request.user, now)) for deck in Deck.objects.order_by("title")],
        open_attempts=list(attempts.open().filter(quiz__published=True).select_related("quiz")),
        last_scores=list(Attempt.objects.filter(pk__in=[pk for pk in last_ids if pk]).select_related("quiz")),
        sections_to_reread=list(sections),
    )

"""Item analysis, as Moodle reports it: how often each choice is picked, and how many get it right."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Choice, Question


@dataclass(frozen=True)
class ChoiceStats:
    choice: Choice
    picks: int
    percent: float


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answers: int
    correct: int
    choices: list[ChoiceStats]

    @property
    def facility_percent(self) -> float | None:
        """Moodle's facility index: the share of answers that were correct."""
        return 100 * self.correct / self.answers if self.answers else None


def question_stats(questions: list[Question]) -> list[QuestionStats]:
    """Statistics for many questions in two queries, whatever their number."""
    by_question: dict[int, list[Choice]] = {question.pk: [] for question in questions}
    choices = (
        Choice.objects.filter(question__in=by_question)
        .annotate(picks=Count("answers"), correct_picks=Count("answers", filter=Q(answers__is_correct=True)))
        .order_by("question", "order")
    )
    for choice in choices:
        by_question[choice.question_id].append(choice)
    stats = []
    for question in questions:
        rows = by_question[question.pk]
        total = sum(choice.picks for choice in rows)
        stats.append(
            QuestionStats(
                question=question,
                answers=total,
                correct=sum(choice.correct_picks for choice in rows),
                choices=[ChoiceStats(c, c.picks, 100 * c.picks / total if total else 0.0) for c in rows],
            )
        )
    return stats

"""Item analysis, as Moodle reports it: how often each choice is picked, and how many get it right."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import Answer, Choice, Question


@dataclass(frozen=True)
class ChoiceStats:
    choice: Choice
    picks: int
    percent: float


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answers: int
    credit: float  # the answers' credits summed
    choices: list[ChoiceStats]
    wrong_responses: list[tuple[str, int]]  # for typed types: the commonest wrong responses, with counts

    @property
    def facility_percent(self) -> float | None:
        """Moodle's facility index: the mean credit of the answers, in percent."""
        return 100 * self.credit / self.answers if self.answers else None


COMMON_WRONG = 5  # wrong typed responses listed per question


def question_stats(questions: list[Question]) -> list[QuestionStats]:
    """Statistics for many questions in three queries, whatever their number."""
    by_question: dict[int, list[Choice]] = {question.pk: [] for question in questions}
    choices = (
        Choice.objects.filter(question__in=by_question)
        .annotate(picks=Count("answers"))
        .order_by("question", "order")
    )
    for choice in choices:
        by_question[choice.question_id].append(choice)
    totals = {
        row["question"]: row
        for row in Answer.objects.filter(question__in=by_question)
        .values("question")
        .annotate(answers=Count("pk"), credit=Sum("credit"))
    }
    wrong: dict[int, list[tuple[str, int]]] = {}
    for row in (
        Answer.objects.filter(question__in=by_question, is_correct=False)
        .exclude(response_text="")
        .values("question", "response_text")
        .annotate(count=Count("pk"))
        .order_by("question", "-count", "response_text")
    ):
        responses = wrong.setdefault(row["question"], [])
        if len(responses) < COMMON_WRONG:
            responses.append((row["response_text"], row["count"]))
    stats = []
    for question in questions:
        total = totals.get(question.pk, {"answers": 0, "credit": 0.0})
        answers = total["answers"]
        stats.append(
            QuestionStats(
                question=question,
                answers=answers,
                credit=total["credit"] or 0.0,
                choices=[
                    ChoiceStats(c, c.picks, 100 * c.picks / answers if answers else 0.0)
                    for c in by_question[question.pk]
                ],
                wrong_responses=wrong.get(question.pk, []),
            )
        )
    return stats

"""Item analysis, as Moodle reports it: facility and discrimination, picks, and common wrong responses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from .correlation import MIN_ATTEMPTS, correlation
from .models import Answer, Choice, Question
from .variant_stats import VariantStats, variant_stats


@dataclass(frozen=True)
class ChoiceStats:
    choice: Choice
    picks: int
    percent: float
    point_biserial: float | None = None  # picking it against the rest of the attempt's score

    @property
    def attracts_strong_learners(self) -> bool:
        """A wrong choice that learners who do well elsewhere pick more: worth rewording."""
        return not self.choice.is_correct and self.point_biserial is not None and self.point_biserial > 0


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answers: int
    credit: float  # the answers' credits summed
    choices: list[ChoiceStats]
    wrong_responses: list[tuple[str, int]]  # for typed types: the commonest wrong responses, with counts
    discrimination: float | None  # Moodle's discrimination index, once enough attempts have finished
    variants: VariantStats | None = None  # a template's facility by parameter region, first against later

    @property
    def facility_percent(self) -> float | None:
        """Moodle's facility index: the mean credit of the answers, in percent."""
        return 100 * self.credit / self.answers if self.answers else None


COMMON_WRONG = 5  # wrong typed responses listed per question


def discrimination_indices(question_ids: list[int]) -> dict[int, float | None]:
    """Per question, 100 × the correlation of its credit with the rest of the attempt's score.

    Moodle's discrimination index: does doing well on this question go with doing well on the others?
    Only completed attempts count, and only once there are MIN_ATTEMPTS of them.
    """
    rows: dict[int, tuple[list[float], list[float]]] = {}
    for question_id, credit, score in Answer.objects.filter(
        question__in=question_ids, attempt__finished_at__isnull=False, attempt__abandoned=False
    ).values_list("question", "credit", "attempt__score"):
        xs, ys = rows.setdefault(question_id, ([], []))
        xs.append(credit)
        ys.append(score - credit)
    indices = {}
    for question_id, (xs, ys) in rows.items():
        r = correlation(xs, ys) if len(xs) >= MIN_ATTEMPTS else None
        indices[question_id] = None if r is None else 100 * r
    return indices


def point_biserials(question_ids: list[int]) -> dict[int, float | None]:
    """Per choice, the correlation of picking it (1 or 0) with the rest of the attempt's score.

    A distractor should draw weaker learners (a negative value); one that draws strong ones is flagged.
    Only finished attempts count, and only once a question has MIN_ATTEMPTS answers in them.
    """
    rows = list(
        Answer.objects.filter(
            question__in=question_ids, attempt__finished_at__isnull=False, attempt__abandoned=False
        ).values_list("pk", "question", "credit", "attempt__score")
    )
    picked: dict[int, set[int]] = {}
    for answer_id, choice_id in Answer.picks.through.objects.filter(
        answer__in=[row[0] for row in rows]
    ).values_list("answer_id", "choice_id"):
        picked.setdefault(answer_id, set()).add(choice_id)
    by_question: dict[int, list[tuple[set[int], float]]] = {}
    for answer_id, question_id, credit, score in rows:
        by_question.setdefault(question_id, []).append((picked.get(answer_id, set()), score - credit))
    found: dict[int, float | None] = {}
    for choice_id, question_id in Choice.objects.filter(question__in=by_question).values_list(
        "pk", "question"
    ):
        answers = by_question[question_id]
        if len(answers) >= MIN_ATTEMPTS:
            found[choice_id] = correlation(
                [float(choice_id in p) for p, _ in answers], [r for _, r in answers]
            )
    return found


def question_stats(questions: list[Question]) -> list[QuestionStats]:
    """Statistics for many questions in four queries, and one more per question template."""
    by_question: dict[int, list[Choice]] = {question.pk: [] for question in questions}
    choices = (
        Choice.objects.filter(question__in=by_question)
        .select_related("misconception")
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
    discrimination = discrimination_indices(list(by_question))
    biserial = point_biserials(list(by_question))
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
                    ChoiceStats(
                        c,
                        c.picks,
                        100 * c.picks / answers if answers else 0.0,
                        biserial.get(c.pk) if question.type.picks_choices else None,
                    )
                    for c in by_question[question.pk]
                ],
                wrong_responses=wrong.get(question.pk, []),
                discrimination=discrimination.get(question.pk),
                variants=variant_stats(question),
            )
        )
    return stats

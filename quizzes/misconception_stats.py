"""For instructors: how common each misconception is, per quiz, and how often learners get past it.

A learner is an account, or an anonymous attempt (the only identity an anonymous learner has). Their
answers are read from what each answer recorded, as learners' own results and progress are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .misconceptions import questions_about, seen_beliefs
from .models import Answer, Misconception, Quiz
from .snapshots import shown


@dataclass(frozen=True)
class Prevalence:
    quiz: Quiz
    learners: int  # who answered any question of the quiz
    pointed: int  # whose answers to the quiz pointed to the misconception
    resolved: int  # of those, whose later right answer to a question about it resolved it

    @property
    def percent(self) -> float:
        return 100 * self.pointed / self.learners if self.learners else 0.0

    @property
    def resolved_percent(self) -> float | None:
        return 100 * self.resolved / self.pointed if self.pointed else None


def learner_of(answer: Answer) -> str:
    return f"user:{answer.attempt.user_id}" if answer.attempt.user_id else f"attempt:{answer.attempt_id}"


def prevalence(misconception: Misconception) -> list[Prevalence]:
    """Per quiz with a question about the misconception: the share of its learners whose answers point to
    it, and how many of them resolved it later (on any quiz)."""
    about = questions_about([misconception.slug]).get(misconception.slug, set())
    quizzes = Quiz.objects.filter(questions__in=about).distinct().order_by("title")
    answers = (
        Answer.objects.filter(attempt__quiz__in=quizzes).select_related("attempt").order_by("answered_at")
    )
    by_learner: dict[str, list[Answer]] = defaultdict(list)
    quizzes_of: dict[str, set[int]] = defaultdict(set)
    for answer in answers:
        by_learner[learner_of(answer)].append(answer)
        quizzes_of[learner_of(answer)].add(answer.attempt.quiz_id)
    pointed_in: dict[int, set[str]] = defaultdict(set)
    resolved: set[str] = set()
    for learner, theirs in by_learner.items():
        for answer in theirs:
            if any(belief["slug"] == misconception.slug for belief in shown(answer).misconceptions):
                pointed_in[answer.attempt.quiz_id].add(learner)
        seen = {belief.slug: belief for belief in seen_beliefs(theirs)}
        if misconception.slug in seen and seen[misconception.slug].resolved:
            resolved.add(learner)
    return [
        Prevalence(
            quiz,
            sum(1 for learner in by_learner if quiz.pk in quizzes_of[learner]),
            len(pointed_in[quiz.pk]),
            len(pointed_in[quiz.pk] & resolved),
        )
        for quiz in quizzes
    ]

"""Small builders for quiz test data: each makes a valid object, and overrides say what differs."""

from __future__ import annotations

from itertools import count

from quizzes.models import Choice, Question, Quiz

_serial = count(1)


def make_quiz(*, questions: int = 3, choices: int = 4, **overrides) -> Quiz:
    """A quiz whose question n has its correct choice at order n % choices + 1."""
    n = next(_serial)
    quiz = Quiz.objects.create(**{"title": f"Quiz {n}", "slug": f"quiz-{n}", **overrides})
    for order in range(1, questions + 1):
        make_question(quiz=quiz, order=order, choices=choices)
    return quiz


def make_question(*, quiz: Quiz, order: int, choices: int = 4, **overrides) -> Question:
    question = Question.objects.create(
        **{
            "quiz": quiz,
            "order": order,
            "text": f"Question {order}?",
            "explanation": f"Because {order}.",
            **overrides,
        }
    )
    correct = order % choices + 1
    for c in range(1, choices + 1):
        Choice.objects.create(
            question=question,
            order=c,
            text=f"Q{order} choice {c}",
            is_correct=c == correct,
            feedback=f"Feedback for Q{order} choice {c}.",
        )
    return question

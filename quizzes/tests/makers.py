"""Small builders for quiz test data: each makes a valid object, and overrides say what differs."""

from __future__ import annotations

import json
from itertools import count

from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.qtypes import Offer

_serial = count(1)
HTMX = {"HX-Request": "true"}


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


def question_admin_data(
    question: Question, correct_flags: list[bool] | None = None, **extra: str
) -> dict[str, str]:
    """The POST body of the question's admin change form as it stands, with overrides."""
    choices = list(question.choices.order_by("order"))
    correct_flags = correct_flags if correct_flags is not None else [c.is_correct for c in choices]
    data = {
        "quiz": str(question.quiz_id),
        "order": str(question.order),
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "notes_section": str(question.notes_section_id or ""),
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": str(question.type.min_choices),
        "choices-MAX_NUM_FORMS": "1000",
    }
    data |= {name: "on" for name, value in question.options.items() if value is True}
    data |= {name: value for name, value in question.options.items() if isinstance(value, str)}
    data |= plot_widget_data("plot", question.plot)
    if question.template:
        data["template"] = json.dumps(question.template)
    fields = question.type.choice_fields  # the ones admin's inline shows for the question's type
    for i, (choice, correct) in enumerate(zip(choices, correct_flags, strict=True)):
        data |= {f"choices-{i}-id": str(choice.pk), f"choices-{i}-question": str(question.pk)}
        for name in fields.keys() - {"is_correct", "plot"}:
            value = choice.serializable_value(name)  # a foreign key's id, as its select sends it
            data[f"choices-{i}-{name}"] = "" if value is None else str(value)
        if correct and "is_correct" in fields:
            data[f"choices-{i}-is_correct"] = "on"
        data |= plot_widget_data(f"choices-{i}-plot", choice.plot)
    return data | extra


def plot_widget_data(name: str, plot: dict | None) -> dict[str, str]:
    """What the plot picker posts for a spec: its experiment and each parameter."""
    if not plot:
        return {}
    experiment = plot["experiment"]
    params = {f"{name}__{experiment}__{key}": str(value) for key, value in plot.get("params", {}).items()}
    return {f"{name}__experiment": experiment} | params


def start(client: Client, quiz: Quiz | str) -> Attempt:
    """Start an attempt as the client's learner would, by the start form; the quiz or its slug."""
    slug = quiz if isinstance(quiz, str) else quiz.slug
    response = client.post(reverse("attempt-start", args=[slug]))
    assert response.status_code == 302
    return Attempt.objects.order_by("-started_at").first()


def question_url(attempt: Attempt, question_id: int) -> str:
    return reverse("attempt-question", args=[attempt.public_id, question_id])


def sample_form(attempt: Attempt, question: Question, *, right: bool) -> dict[str, object]:
    """The POST body of the question's type's sample response, as the question page's form sends it."""
    question = attempt.asked(question)  # a template's is the attempt's own variant
    response = question.type.sample_response(question, attempt.ordered_choices(question), right=right)
    offer = Offer(attempt, [])
    data: dict[str, object] = {"choice": [attempt.choice_token(choice) for choice in response.choices]}
    if response.text:
        data["response"] = response.text
    for item, answer in response.pairs:
        data[f"match-{attempt.choice_token(item)}"] = offer.token(answer)
    return data


def answer_every_question(client: Client, attempt: Attempt, *, right: bool) -> None:
    """Answer each question of the attempt in its order, with its type's sample response."""
    for question_id in attempt.question_ids:
        question = Question.objects.get(pk=question_id)
        client.post(question_url(attempt, question_id), sample_form(attempt, question, right=right))

"""What a learner was shown when they answered, kept with the answer.

A recorded answer is a fact, not a pointer: the review shows the question, the choices in the order
the learner saw them, which one they picked and which one was right, as they stood at that moment.
Later edits, deletions and re-imports change what new learners see, never what an old learner did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studysite.models import NoteSection

from .models import Answer, Choice, Question


@dataclass
class ShownChoice:
    text: str
    feedback: str
    is_correct: bool
    picked: bool
    plot: dict | None = None
    rendered_plot: object = None  # set by rnnsim.figures.attach_plots


@dataclass
class ShownQuestion:
    text: str
    explanation: str
    choices: list[ShownChoice]
    plot: dict | None = None
    rendered_plot: object = None
    notes: NoteSection | None = None  # the question's notes section today, while the question exists

    @property
    def picked(self) -> ShownChoice | None:
        return next((choice for choice in self.choices if choice.picked), None)

    @property
    def correct(self) -> ShownChoice | None:
        return next((choice for choice in self.choices if choice.is_correct), None)

    @property
    def figure_objects(self) -> list[object]:
        """What carries a plot in the review: the question, the picked choice, the correct one."""
        return [obj for obj in (self, self.picked, self.correct) if obj is not None]


def snapshot(question: Question, choices: Sequence[Choice], picked: Choice) -> dict:
    """The JSON stored with an answer: the question and its choices in the order they were shown."""
    return {
        "text": question.text,
        "explanation": question.explanation,
        "plot": question.plot or None,
        "choices": [
            {
                "text": choice.text,
                "feedback": choice.feedback,
                "is_correct": choice.is_correct,
                "picked": choice.pk == picked.pk,
                "plot": choice.plot or None,
            }
            for choice in choices
        ],
    }


def shown(answer: Answer, *, notes: NoteSection | None = None) -> ShownQuestion:
    """The answer's question as the learner saw it; ``notes`` is the question's notes section today."""
    data = answer.shown
    return ShownQuestion(
        text=data["text"],
        explanation=data["explanation"],
        plot=data.get("plot"),
        choices=[ShownChoice(**choice) for choice in data["choices"]],
        notes=notes,
    )

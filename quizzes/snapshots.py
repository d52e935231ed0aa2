"""What a learner was shown when they answered, kept with the answer.

A recorded answer is a fact, not a pointer: the review shows the question, the choices in the order
the learner saw them, which one they picked and which one was right, as they stood at that moment.
Later edits, deletions and re-imports change what new learners see, never what an old learner did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rnnsim.core.templates import show_number
from rnnsim.marks import AnswerMark
from rnnsim.variants import stored
from studysite.models import NoteSection
from studysite.numbers import parse_number

from .models import Answer, Choice, Question
from .qtypes import DEFAULT_KIND, TYPES, Graded, QuestionType, Response


@dataclass
class ShownChoice:
    text: str
    feedback: str
    is_correct: bool
    picked: bool
    plot: dict | None = None
    credit_text: str = ""  # what ticking it earned or cost, where the type weighs choices
    match: str = ""  # for matching: the answer this item pairs with
    given: str = ""  # for matching: the answer the learner gave it
    value: float | None = None  # for a variant's choice: the number it stands for
    rule: str = ""  # for a variant's choice: the wrong-reasoning rule it comes from ("" for the key)
    misconception: dict | None = None  # the wrong belief it suggests, as it stood: slug, statement, what-if
    rendered_plot: object = None  # set by rnnsim.figures.attach_plots


@dataclass
class ShownQuestion:
    text: str
    explanation: str
    choices: list[ShownChoice]
    kind: str = DEFAULT_KIND
    credit: float | None = None  # None for answers recorded before partial credit: read their verdict
    response: str = ""  # what the learner typed, for the types they type into
    no_match_feedback: str = ""  # what a typed response matching no answer is told
    variant: dict | None = None  # a template's variant: its drawn parameters, key, tolerance and engine
    plot: dict | None = None
    rendered_plot: object = None
    notes: NoteSection | None = None  # the question's notes section today, while the question exists
    suggested: list = field(default_factory=list)  # its misconceptions, set by quizzes.misconceptions

    @property
    def type(self) -> QuestionType:
        """The type it was answered as; a type since retired reads as single choice."""
        return TYPES.get(self.kind, TYPES[DEFAULT_KIND])

    @property
    def review_template(self) -> str:
        return self.type.review_template

    @property
    def feedback_template(self) -> str:
        return self.type.feedback_template

    @property
    def variant_summary(self) -> str:
        """The variant's drawn values as the question showed them: "rho = 0.85, k = 40"."""
        return ", ".join(f"{name} = {value}" for name, value in (self.variant or {}).get("shown", {}).items())

    @property
    def variant_key(self) -> str:
        """The key the engine computed for the variant, as the question would state it."""
        variant = self.variant or {}
        return show_number(variant["key"], exact=variant.get("exact", False)) if "key" in variant else ""

    @property
    def answer_mark(self) -> AnswerMark | None:
        """The learner's number (picked or typed) on the variant's plot, where the plot draws the key."""
        values = [choice.value for choice in self.picked if choice.value is not None]
        value = values[0] if len(values) == 1 else (parse_number(self.response) if self.response else None)
        return AnswerMark.of(self.variant, value)

    @property
    def several_picked(self) -> bool:
        return len(self.picked) > 1

    @property
    def picked(self) -> list[ShownChoice]:
        return [choice for choice in self.choices if choice.picked]

    @property
    def missed(self) -> list[ShownChoice]:
        """The right choices the learner did not pick."""
        return [choice for choice in self.choices if choice.is_correct and not choice.picked]

    @property
    def misconceptions(self) -> list[dict]:
        """The wrong beliefs this response points to, each once: what its type says it went wrong with."""
        found = {c.misconception["slug"]: c.misconception for c in self.type.misled(self) if c.misconception}
        return list(found.values())

    @property
    def figure_objects(self) -> list[object]:
        """What carries a plot in the review: the question, the picked choices, the right ones missed."""
        return [self, *self.picked, *self.missed]


def snapshot(question: Question, choices: Sequence[Choice], response: Response, graded: Graded) -> dict:
    """The JSON stored with an answer: the question and its choices in the order they were shown."""
    picked = {identity(choice) for choice in graded.picks}
    return {
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "plot": question.plot or None,
        "credit": graded.credit,
        "response": response.text,
        "no_match_feedback": question.options.get("no_match_feedback", "") if not picked else "",
        "variant": stored(question.variant) if question.variant is not None else None,
        "choices": [
            {
                "text": question.type.shown_text(choice),
                "feedback": choice.feedback,
                "is_correct": choice.is_correct,
                "picked": identity(choice) in picked,
                "plot": choice.plot or None,
                "credit_text": question.type.credit_text(choice, choices),
                "match": choice.match_text,
                "given": response.given_for(choice),
                "value": getattr(choice, "variant_value", None),
                "rule": getattr(choice, "variant_rule", ""),
                "misconception": choice.misconception.shown if choice.misconception else None,
            }
            for choice in choices
        ],
    }


def identity(choice: Choice) -> object:
    """A choice's identity among its question's: its key, or a variant's unsaved choice's order."""
    return choice.pk if choice.pk is not None else ("variant", choice.order)


def shown(answer: Answer, *, notes: NoteSection | None = None) -> ShownQuestion:
    """The answer's question as the learner saw it; ``notes`` is the question's notes section today."""
    data = answer.shown
    return ShownQuestion(
        text=data["text"],
        explanation=data["explanation"],
        kind=data.get("kind", DEFAULT_KIND),
        credit=data.get("credit"),
        response=data.get("response", ""),
        no_match_feedback=data.get("no_match_feedback", ""),
        variant=data.get("variant"),
        plot=data.get("plot"),
        choices=[ShownChoice(**choice) for choice in data["choices"]],
        notes=notes,
    )

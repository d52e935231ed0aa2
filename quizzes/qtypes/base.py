"""What every question type provides, as Moodle's question/type/<name>/ does for its types.

A type validates its choices as an instructor saves them, reads a learner's response from the
submitted form, grades it, and names the templates that draw its input and its review. Views,
templates and exporters ask the question's type; none of them names one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from quizzes.file_errors import FileError  # noqa: F401 - the types raise it; its own module breaks a cycle

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from django.http import QueryDict

    from quizzes.models import Attempt, Choice, Question
    from quizzes.snapshots import ShownChoice, ShownQuestion


@dataclass
class ChoiceRow:
    """A choice as a file gives it, before it is matched to a stored one."""

    order: int
    text: str
    is_correct: bool
    feedback: str
    plot: object = None
    weight: float | None = None
    tolerance: float | None = None
    match_text: str = ""
    misconception: str = ""  # the slug of the misconception it points to (JSON only)


@dataclass(frozen=True)
class FileAnswers:
    """A question's answers read from a file in its type's syntax, with the type's settings."""

    choices: list[ChoiceRow]
    options: dict = field(default_factory=dict)


class ResponseError(Exception):
    """A response that cannot be graded (nothing picked, not a number): said to the learner, not stored."""


@dataclass(frozen=True)
class Response:
    """What a learner gave: the choices they picked, or what they typed."""

    choices: tuple[Choice, ...] = ()
    text: str = ""
    pairs: tuple[tuple[Choice, str], ...] = ()  # for matching: each item with the answer given for it

    def given_for(self, choice: Choice) -> str:
        return next((answer for item, answer in self.pairs if item.pk == choice.pk), "")


@dataclass(frozen=True)
class Offer:
    """What a question page offers: its choices in the attempt's order, each with an opaque token.

    ``attempt`` is None in an instructor's preview, where nothing is submitted.
    """

    attempt: Attempt | None
    options: Sequence[tuple[str, Choice]]

    def token(self, text: str) -> str:
        """An opaque value for a piece of text on offer, such as a matching answer."""
        if self.attempt is None:
            return "preview-" + salted_hmac("quizzes.preview", text, algorithm="sha256").hexdigest()[:12]
        return salted_hmac(
            "quizzes.text", f"{self.attempt.public_id}:{text}", algorithm="sha256"
        ).hexdigest()[:20]


@dataclass(frozen=True)
class Graded:
    """A response's credit (0 to 1) and the choices it counts as: those picked, or the answer typed."""

    credit: float
    picks: tuple[Choice, ...]


def full_credit(choice: Choice) -> float:
    """A choice's credit as a fraction of the question: its weight, or all of it when correct."""
    if choice.weight is not None:
        return choice.weight / 100
    return 1.0 if choice.is_correct else 0.0


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class QuestionType:
    name: ClassVar[str]
    label: ClassVar[str]
    help: ClassVar[str]
    input_template: ClassVar[str]
    review_template: ClassVar[str] = "quizzes/qtypes/choices_review.html"
    feedback_template: ClassVar[str] = "quizzes/qtypes/choices_feedback.html"
    option_fields: ClassVar[dict[str, forms.Field]] = {}  # its settings, stored in Question.options
    blank_choices: ClassVar[bool] = False  # whether a choice may have no text (a matching distractor)
    min_choices: ClassVar[int] = 2  # the fewest its validation accepts: admin shows as many rows
    picks_choices: ClassVar[bool] = True  # a response picks (or types into) its choices; matching pairs them
    # The Choice fields an instructor fills in for this type, each with its label in admin's inline.
    choice_fields: ClassVar[dict[str, str]] = {
        "order": "Order",
        "text": "Text",
        "is_correct": "Correct",
        "feedback": "Feedback",
        "plot": "Feedback plot",
        "misconception": "Misconception it suggests",
    }

    def validate(self, question: Question, choices: Sequence[Choice]) -> None:
        """Raise ValidationError if the question, with these choices, could not be graded."""
        orders = [choice.order for choice in choices]
        if len(set(orders)) != len(orders):
            raise ValidationError("Two choices of one question share an order.", code="duplicate_order")
        if not self.blank_choices and any(not choice.text.strip() for choice in choices):
            raise ValidationError("Every choice needs a text.", code="blank_choice")

    def read(self, data: QueryDict, offer: Offer) -> Response:
        """The response in a submitted form, given what the form offered."""
        raise NotImplementedError

    def input_context(self, offer: Offer) -> dict:
        """What this type's input template needs beyond the offered choices."""
        return {}

    def grade(self, question: Question, choices: Sequence[Choice], response: Response) -> Graded:
        """The response's credit, from 0 (none) to 1 (full), and the choices it counts as.

        ``choices`` are the ones the question offered: its own, or a template's variant's.
        """
        raise NotImplementedError

    def sample_response(self, question: Question, choices: Sequence[Choice], *, right: bool) -> Response:
        """A response a learner could give, fully right or wrong: what simulated learners and tests send."""
        raise NotImplementedError

    def shown_text(self, choice: Choice) -> str:
        """A choice as the review shows it, in Markdown."""
        return choice.text

    def response_text(self, shown: ShownQuestion) -> str:
        """What the learner gave, on one line, from the answer's snapshot: for instructors' lists."""
        return "; ".join(choice.text for choice in shown.picked)

    def misled(self, shown: ShownQuestion) -> list[ShownChoice]:
        """The choices a recorded response went wrong with: picked, typed or matched, and not right.

        Their misconceptions are what the response suggests the learner believes.
        """
        return [choice for choice in shown.picked if not choice.is_correct]

    def credit_text(self, choice: Choice, choices: Sequence[Choice]) -> str:
        """A choice's credit as the review states it; "" where right or wrong says it all."""
        return ""

    # Files. GIFT's answers go inside the question's { }; Moodle XML's go in its <question> element.
    moodle_type: ClassVar[str]

    def read_gift(self, body: str) -> FileAnswers | None:
        """The answers of a GIFT { } block, if written in this type's syntax; FileError if wrongly so."""
        raise NotImplementedError

    def write_gift(self, question: Question, choices: Sequence[Choice]) -> list[str]:
        """The lines inside the question's GIFT { }."""
        raise NotImplementedError

    def read_moodle_xml(self, node: ET.Element) -> FileAnswers | None:
        """The answers of a Moodle XML <question>, if it is this type's; FileError if wrongly written."""
        raise NotImplementedError

    def write_moodle_xml(self, node: ET.Element, question: Question, choices: Sequence[Choice]) -> None:
        """This type's elements of a Moodle XML <question>, after the text and general feedback."""
        raise NotImplementedError

    def card_answer(self, choices: Sequence[Choice]) -> str:
        """The answer as a person would read it on a card's back, in Markdown."""
        right = [f"**{LETTERS[i]}. {choice.text}**" for i, choice in enumerate(choices) if choice.is_correct]
        return "  \n".join(right)


def picked_tokens(data: QueryDict, options: Sequence[tuple[str, Choice]]) -> list[Choice]:
    """The offered choices whose tokens the form sent; ResponseError for a token offered nowhere."""
    by_token = dict(options)
    tokens = data.getlist("choice")
    if any(token not in by_token for token in tokens):
        raise ResponseError("That choice does not belong to this question.")
    return [by_token[token] for token in dict.fromkeys(tokens)]

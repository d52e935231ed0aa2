"""Single choice: the learner picks one; it is right or wrong."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError

from quizzes.gift import formatted, gift_escape, gift_split
from quizzes.moodle_xml import answer_element, answers_of

from .base import (
    ChoiceRow,
    FileAnswers,
    FileError,
    Graded,
    QuestionType,
    Response,
    ResponseError,
    picked_tokens,
)

WEIGHTED = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")  # GIFT's ~%50%answer


class SingleChoice(QuestionType):
    name = "single"
    label = "Single choice"
    help = "The learner picks one choice; exactly one is correct."
    input_template = "quizzes/qtypes/single_input.html"

    def validate(self, question, choices) -> None:
        super().validate(question, choices)
        if len(choices) < 2:
            raise ValidationError("A question needs at least two choices.", code="too_few_choices")
        correct = sum(1 for choice in choices if choice.is_correct)
        if correct != 1:
            raise ValidationError(
                "A single-answer question needs exactly one correct choice; %(count)d are marked correct.",
                code="correct_choice_count",
                params={"count": correct},
            )
        if any(choice.weight is not None for choice in choices):
            raise ValidationError(
                "A single-answer question is right or wrong: leave every weight empty.", code="weight"
            )

    def read(self, data, offer):
        picked = picked_tokens(data, offer.options)
        if not picked:
            raise ResponseError("Pick one of the choices before submitting.")
        if len(picked) > 1:
            raise ResponseError("Pick only one choice.")
        return Response(tuple(picked))

    def grade(self, question, choices, response):
        return Graded(1.0 if response.choices[0].is_correct else 0.0, response.choices)

    def sample_response(self, question, choices, *, right):
        return Response((next(choice for choice in choices if choice.is_correct == right),))

    moodle_type = "multichoice"

    def read_gift(self, body):
        """``=right#feedback ~wrong#feedback``, one answer right and none weighted."""
        pieces = gift_answers(body)
        if not pieces or any(WEIGHTED.match(text) for _, text in pieces):
            return None
        if all(mark == "=" for mark, _ in pieces):  # only right answers: Moodle reads a short answer
            return None
        rows = []
        for order, (mark, text) in enumerate(pieces, start=1):
            answer, feedback = answer_and_feedback(text)
            rows.append(ChoiceRow(order, answer, mark == "=", feedback))
        return FileAnswers(rows)

    def write_gift(self, question, choices):
        return [
            f"{'=' if choice.is_correct else '~'}{gift_escape(choice.text)}#{gift_escape(choice.feedback)}"
            for choice in choices
        ]

    def write_moodle_xml(self, node, question, choices):
        write_multichoice(node, question, [(choice, 100 if choice.is_correct else 0) for choice in choices])

    def read_moodle_xml(self, node):
        if node.get("type") != "multichoice" or not single_answer(node):
            return None
        rows = []
        for order, (text, fraction, feedback, _) in enumerate(answers_of(node), start=1):
            if fraction not in (0, 100):
                raise FileError(
                    f"answer {order} gives {fraction:g}%: a single-answer question here is right or wrong"
                )
            rows.append(ChoiceRow(order, text, fraction == 100, feedback))
        return FileAnswers(rows)


def gift_answers(body: str) -> list[tuple[str, str]]:
    """The ``=`` and ``~`` answers of a GIFT block as (mark, text); FileError for text before the first."""
    pieces = gift_split(body, "=~")
    lead = pieces[0][1].strip()
    if lead:
        raise FileError(f"text before the first answer: {lead[:40]!r}")
    return pieces[1:]


def answer_and_feedback(text: str) -> tuple[str, str]:
    answer, *feedback = (piece for _, piece in gift_split(text, "#"))
    return formatted(answer), formatted("#".join(feedback))


def write_multichoice(node, question, fractions, *, single: bool = True) -> None:
    """A Moodle multichoice's settings and its answers, each choice with its fraction in percent."""
    ET.SubElement(node, "single").text = "true" if single else "false"
    ET.SubElement(node, "shuffleanswers").text = "true" if question.quiz.shuffle_choices else "false"
    ET.SubElement(node, "answernumbering").text = "abc"
    for choice, fraction in fractions:
        answer_element(node, choice.text, fraction, choice.feedback)


def single_answer(node) -> bool:
    return (node.findtext("single") or "true").strip().lower() in ("true", "1")

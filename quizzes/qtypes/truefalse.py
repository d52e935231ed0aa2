"""True/false: the learner picks True or False, and each has its own feedback."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from quizzes.gift import formatted, gift_escape, gift_split
from quizzes.moodle_xml import answer_element, answers_of

from .base import ChoiceRow, FileAnswers, FileError
from .single import SingleChoice

TRUTH_VALUES = ("True", "False")
TRUTH = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class TrueFalse(SingleChoice):
    name = "truefalse"
    label = "True/false"
    help = 'Two choices, "True" and "False", one of them correct; each may have its own feedback.'
    input_template = "quizzes/qtypes/single_input.html"

    def validate(self, question, choices) -> None:
        if sorted(choice.text.strip() for choice in choices) != sorted(TRUTH_VALUES):
            raise ValidationError(
                'A true/false question has exactly two choices, "True" and "False".', code="truth_values"
            )
        super().validate(question, choices)

    moodle_type = "truefalse"

    def read_gift(self, body):
        """``{T}``, ``{TRUE}``, ``{F}`` or ``{FALSE}``, then feedback for a wrong and for a right answer."""
        value, *feedback = (piece for _, piece in gift_split(body, "#"))
        truth = TRUTH.get(value.strip().upper())
        if truth is None:
            return None
        if len(feedback) > 2:
            raise FileError("a true/false answer has at most two feedbacks: #if wrong#if right")
        wrong, right = ([formatted(text) for text in feedback] + ["", ""])[:2]
        return FileAnswers(
            [
                ChoiceRow(1, "True", truth, right if truth else wrong),
                ChoiceRow(2, "False", not truth, wrong if truth else right),
            ]
        )

    def write_gift(self, question, choices):
        right = next(choice for choice in choices if choice.is_correct)
        wrong = next(choice for choice in choices if not choice.is_correct)
        return [f"{right.text.strip().upper()}#{gift_escape(wrong.feedback)}#{gift_escape(right.feedback)}"]

    def write_moodle_xml(self, node, question, choices):
        for choice in choices:
            answer_element(
                node, choice.text.strip().lower(), 100 if choice.is_correct else 0, choice.feedback
            )

    def card_answer(self, choices):
        return f"**{next(choice.text for choice in choices if choice.is_correct)}**"

    def read_moodle_xml(self, node):
        if node.get("type") != "truefalse":
            return None
        answers = {
            text.strip().lower(): (fraction, feedback) for text, fraction, feedback, _ in answers_of(node)
        }
        if set(answers) != {"true", "false"}:
            raise FileError('a true/false question has one answer "true" and one "false"')
        return FileAnswers(
            [
                ChoiceRow(order, value, answers[value.lower()][0] == 100, answers[value.lower()][1])
                for order, value in enumerate(TRUTH_VALUES, start=1)
            ]
        )

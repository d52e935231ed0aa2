"""Short answer: the learner types a word or phrase; accepted answers may hold * wildcards.

Responses and answers are compared after Unicode NFC and collapsing whitespace, ignoring case unless
the question says otherwise, and ignoring accents if it says so. A match is always of the whole
response: "BPTT" never matches "truncated BPTT" unless an answer asks for it with "*BPTT".
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from quizzes.gift import gift_escape
from quizzes.moodle_xml import answer_element, answers_of

from .base import ChoiceRow, FileAnswers, Graded, Response, full_credit
from .single import WEIGHTED, answer_and_feedback, gift_answers
from .typed import TypedAnswer

CASE_SENSITIVE = "case_sensitive"
ACCENT_INSENSITIVE = "accent_insensitive"


def normalised(text: str, options: dict) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if options.get(ACCENT_INSENSITIVE):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", text)
    return text if options.get(CASE_SENSITIVE) else text.casefold()


def accepts(pattern: str, response: str, options: dict) -> bool:
    """Whether the whole response matches the answer, where each * stands for any text."""
    parts = [re.escape(part) for part in normalised(pattern, options).split("*")]
    return re.fullmatch(".*".join(parts), normalised(response, options), re.DOTALL) is not None


class ShortAnswer(TypedAnswer):
    name = "shortanswer"
    label = "Short answer"
    help = (
        "The learner types a word or phrase. Each answer may use * for any text and has a credit; the "
        "first one the whole response matches gives its credit."
    )
    moodle_type = "shortanswer"
    choice_fields: ClassVar[dict[str, str]] = TypedAnswer.choice_fields | {
        "text": "Accepted answer (* matches any characters)",
        "is_correct": "Full credit",
        "weight": "Credit (%)",
    }
    option_fields: ClassVar[dict[str, forms.Field]] = TypedAnswer.option_fields | {
        CASE_SENSITIVE: forms.BooleanField(
            required=False, label="Case sensitive", help_text="Short answer: “bptt” does not match “BPTT”."
        ),
        ACCENT_INSENSITIVE: forms.BooleanField(
            required=False, label="Ignore accents", help_text="Short answer: “resume” matches “résumé”."
        ),
    }

    def validate(self, question, choices) -> None:
        for choice in choices:
            if not choice.text.strip("* \n"):
                raise ValidationError(
                    "Answer %(order)s needs some text besides *.",
                    code="empty_answer",
                    params={"order": choice.order},
                )
        super().validate(question, choices)

    def grade(self, question, choices, response):
        for choice in sorted(choices, key=lambda choice: choice.order):
            if accepts(choice.text, response.text, question.options):
                return Graded(full_credit(choice), (choice,))
        return Graded(0.0, ())

    def sample_response(self, question, choices, *, right):
        """A full-credit answer as a learner would type it (wildcards dropped); or a word none accepts."""
        if right:
            return Response(text=next(c.text for c in choices if full_credit(c) >= 1).replace("*", ""))
        return Response(text="no such answer")

    def read_gift(self, body):
        """``=BPTT =backpropagation through time =%50%backprop``: every answer marked =, none ~."""
        pieces = gift_answers(body)
        if not pieces or any(mark != "=" for mark, _ in pieces):
            return None
        rows = []
        for order, (_, text) in enumerate(pieces, start=1):
            weight = WEIGHTED.match(text)
            answer, feedback = answer_and_feedback(text[weight.end() :] if weight else text)
            credit = float(weight[1]) if weight else 100.0
            rows.append(
                ChoiceRow(order, answer, credit == 100, feedback, weight=None if credit == 100 else credit)
            )
        return FileAnswers(rows)

    def write_gift(self, question, choices):
        lines = []
        for choice in choices:
            credit = full_credit(choice) * 100
            mark = "=" if credit == 100 else f"=%{credit:g}%"
            lines.append(f"{mark}{gift_escape(choice.text)}#{gift_escape(choice.feedback)}")
        return lines

    def write_moodle_xml(self, node, question, choices):
        ET.SubElement(node, "usecase").text = "1" if question.options.get(CASE_SENSITIVE) else "0"
        for choice in choices:
            answer_element(node, choice.text, full_credit(choice) * 100, choice.feedback)

    def card_answer(self, choices):
        return "  \n".join(f"**{choice.text}**" for choice in choices if full_credit(choice) >= 1)

    def read_moodle_xml(self, node):
        if node.get("type") != "shortanswer":
            return None
        rows = [
            ChoiceRow(order, text, fraction == 100, feedback, weight=None if fraction == 100 else fraction)
            for order, (text, fraction, feedback, _) in enumerate(answers_of(node), start=1)
        ]
        case = (node.findtext("usecase") or "0").strip() == "1"
        return FileAnswers(rows, {CASE_SENSITIVE: case} if case else {})

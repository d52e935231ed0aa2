"""Numerical: the learner types a number; each answer is a value, a tolerance (±) and a credit."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import ClassVar

from django.core.exceptions import ValidationError

from quizzes.gift import formatted, gift_escape, gift_split
from quizzes.moodle_xml import answer_element, answers_of
from studysite.numbers import parse_number, within_tolerance

from .base import ChoiceRow, FileAnswers, FileError, Graded, Response, ResponseError, full_credit
from .single import WEIGHTED
from .typed import TypedAnswer

RANGE = re.compile(r"^(?P<low>[^:.]\S*?)\.\.(?P<high>\S+)$")  # GIFT's {#1..5}


def matches(value: float, choice) -> bool:
    """Within the answer's tolerance, allowing for the rounding of the numbers themselves."""
    return within_tolerance(value, parse_number(choice.text), choice.tolerance or 0.0)


class Numerical(TypedAnswer):
    name = "numerical"
    label = "Numerical"
    help = (
        "The learner types a number (2.7e-5, 0.000027 and 2.7×10^-5 all count). Each answer is a value with "
        "a tolerance and a credit; the first one the number is within gives its credit."
    )
    empty_message = "Type a number before submitting."
    input_mode = "decimal"
    input_hint = "A number: 2.7e-5, 0.000027 and 2.7×10^-5 all count; press Enter to submit."
    moodle_type = "numerical"
    choice_fields: ClassVar[dict[str, str]] = {
        "order": "Order",
        "text": "Value",
        "tolerance": "Tolerance (±)",
        "is_correct": "Full credit",
        "weight": "Credit (%)",
        "feedback": "Feedback",
        "plot": "Feedback plot",
        "misconception": "Misconception it suggests",
    }

    def validate(self, question, choices) -> None:
        for choice in choices:
            if parse_number(choice.text) is None:
                raise ValidationError(
                    "Answer %(order)s: %(text)s is not a number.",
                    code="not_a_number",
                    params={"order": choice.order, "text": choice.text},
                )
        super().validate(question, choices)

    def read(self, data, offer):
        response = super().read(data, offer)
        if parse_number(response.text) is None:
            raise ResponseError(
                f"“{response.text}” is not a number: write it like 2.7e-5, 0.000027 or 2.7×10^-5."
            )
        return response

    def grade(self, question, choices, response):
        value = parse_number(response.text)
        for choice in sorted(choices, key=lambda choice: choice.order):
            if matches(value, choice):
                return Graded(full_credit(choice), (choice,))
        return Graded(0.0, ())

    def shown_text(self, choice) -> str:
        return f"{choice.text} ± {choice.tolerance or 0:g}"

    def sample_response(self, question, choices, *, right):
        """The first full-credit value; or one far outside every answer's tolerance."""
        if right:
            return Response(text=next(choice.text for choice in choices if full_credit(choice) >= 1))
        far = max(abs(parse_number(choice.text)) + (choice.tolerance or 0) for choice in choices)
        return Response(text=f"{far * 1000 + 1:g}")

    def read_gift(self, body):
        """``#3:0.5``, ``#1..5`` or ``#=3:0#right =%50%3:1#close``: a value with a tolerance, or a range."""
        if not body.lstrip().startswith("#"):
            return None
        body = body.lstrip()[1:]
        pieces = gift_split(body, "=")
        answers = [text for _, text in pieces[1:]] if len(pieces) > 1 else [pieces[0][1]]
        if len(pieces) > 1 and pieces[0][1].strip():
            raise FileError(f"text before the first numerical answer: {pieces[0][1].strip()[:40]!r}")
        rows = []
        for order, text in enumerate(answers, start=1):
            weight = WEIGHTED.match(text)
            text = text[weight.end() :] if weight else text
            number, *feedback = (piece for _, piece in gift_split(text, "#"))
            value, tolerance = numerical_answer(number.strip())
            written = number.strip().partition(":")[0]  # the value as the file writes it, unless a range
            credit = float(weight[1]) if weight else 100.0
            rows.append(
                ChoiceRow(
                    order, f"{value:g}" if RANGE.match(number.strip()) else written, credit == 100,
                    formatted("#".join(feedback)),
                    weight=None if credit == 100 else credit, tolerance=tolerance,
                )
            )  # fmt: skip
        return FileAnswers(rows)

    def write_gift(self, question, choices):
        lines = []
        for n, choice in enumerate(choices):
            credit = full_credit(choice) * 100
            mark = "=" if credit == 100 else f"=%{credit:g}%"
            line = (
                f"{mark}{gift_escape(choice.text)}:{choice.tolerance or 0:g}#{gift_escape(choice.feedback)}"
            )
            lines.append(("#" if n == 0 else "") + line)
        return lines

    def write_moodle_xml(self, node, question, choices):
        for choice in choices:
            answer = answer_element(node, choice.text, full_credit(choice) * 100, choice.feedback)
            ET.SubElement(answer, "tolerance").text = f"{choice.tolerance or 0:g}"

    def card_answer(self, choices):
        right = [choice for choice in choices if full_credit(choice) >= 1]
        return "  \n".join(f"**{choice.text}** (± {choice.tolerance or 0:g})" for choice in right)

    def read_moodle_xml(self, node):
        if node.get("type") != "numerical":
            return None
        rows = []
        for order, (text, fraction, feedback, element) in enumerate(answers_of(node), start=1):
            tolerance = parse_number(element.findtext("tolerance") or "0")
            if parse_number(text) is None or tolerance is None or tolerance < 0:
                raise FileError(
                    f"answer {order}: {text!r} ± {element.findtext('tolerance')!r} is not a number"
                )
            rows.append(
                ChoiceRow(
                    order, text, fraction == 100, feedback,
                    weight=None if fraction == 100 else fraction, tolerance=tolerance,
                )
            )  # fmt: skip
        return FileAnswers(rows)


def numerical_answer(text: str) -> tuple[float, float]:
    """A GIFT numerical answer as (value, tolerance): ``3:0.5``, ``1..5`` or ``3``."""
    if match := RANGE.match(text):
        low, high = parse_number(match["low"]), parse_number(match["high"])
        if low is None or high is None or high < low:
            raise FileError(f"{text!r} is not a range low..high")
        return (low + high) / 2, (high - low) / 2
    value, _, tolerance = text.partition(":")
    number, slack = parse_number(value), parse_number(tolerance) if tolerance else 0.0
    if number is None or slack is None or slack < 0 or not math.isfinite(number):
        raise FileError(f"{text!r} is not a number with an optional :tolerance")
    return number, slack

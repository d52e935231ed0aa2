"""Multiple response: the learner ticks every choice they think right.

Graded as Moodle grades it: each ticked choice adds its weight (the right ones' weights sum to 100%,
wrong ones' are zero or negative) and the total is floored at 0; or, if the question says so, all or
nothing: full credit for ticking exactly the right choices. Without weights, the right choices share
100% equally and each wrong one costs as much as a right one earns, so ticking everything scores 0.
"""

from __future__ import annotations

import math
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from quizzes.gift import gift_escape
from quizzes.moodle_xml import answers_of

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
from .single import WEIGHTED, answer_and_feedback, gift_answers, single_answer, write_multichoice

ALL_OR_NOTHING = "all_or_nothing"


def weight_of(choice, choices) -> float:
    """The choice's weight in percent, explicit or by the default rule above."""
    if choice.weight is not None:
        return choice.weight
    share = 100 / max(1, sum(1 for other in choices if other.is_correct))
    return share if choice.is_correct else -share


class MultipleResponse(QuestionType):
    name = "multiple"
    label = "Multiple response"
    help = (
        "The learner ticks several choices. Weights (in %) of the correct ones add up to 100; wrong ones "
        "are 0 or negative; the total is floored at 0. Leave all weights empty to share 100% equally."
    )
    input_template = "quizzes/qtypes/multiple_input.html"
    choice_fields: ClassVar[dict[str, str]] = {
        "order": "Order",
        "text": "Text",
        "is_correct": "Correct",
        "weight": "Weight (%)",
        "feedback": "Feedback",
        "plot": "Feedback plot",
        "misconception": "Misconception it suggests",
    }
    option_fields: ClassVar[dict[str, forms.Field]] = {
        ALL_OR_NOTHING: forms.BooleanField(
            required=False,
            label="All or nothing",
            help_text="Multiple response: full credit only for ticking exactly the right choices, else none.",
        )
    }

    def validate(self, question, choices) -> None:
        super().validate(question, choices)
        if len(choices) < 2:
            raise ValidationError("A question needs at least two choices.", code="too_few_choices")
        if not any(choice.is_correct for choice in choices):
            raise ValidationError("Mark at least one choice correct.", code="correct_choice_count")
        weighted = [choice.weight is not None for choice in choices]
        if any(weighted) and not all(weighted):
            raise ValidationError("Give every choice a weight, or none.", code="weight")
        if all(weighted):
            for choice in choices:
                if choice.is_correct != (choice.weight > 0):
                    raise ValidationError(
                        "Choice %(order)s: a correct choice has a positive weight, a wrong one 0 or less.",
                        code="weight",
                        params={"order": choice.order},
                    )
            total = sum(choice.weight for choice in choices if choice.is_correct)
            if not math.isclose(total, 100, abs_tol=0.01):
                raise ValidationError(
                    "The correct choices' weights add up to %(total)s%%, not 100%%.",
                    code="weight_total",
                    params={"total": f"{total:g}"},
                )

    def read(self, data, offer):
        picked = picked_tokens(data, offer.options)
        if not picked:
            raise ResponseError("Tick at least one choice before submitting.")
        return Response(tuple(picked))

    def grade(self, question, choices, response):
        if question.options.get(ALL_OR_NOTHING):
            right = {choice.pk for choice in choices if choice.is_correct}
            return Graded(float({choice.pk for choice in response.choices} == right), response.choices)
        total = sum(weight_of(choice, choices) for choice in response.choices)
        return Graded(min(1.0, max(0.0, total / 100)), response.choices)

    def sample_response(self, question, choices, *, right):
        """All the right choices; or all the wrong ones, which earn nothing."""
        return Response(tuple(choice for choice in choices if choice.is_correct == right))

    def credit_text(self, choice, choices) -> str:
        return f"{weight_of(choice, choices):+.4g}%".replace("-", "−")

    moodle_type = "multichoice"

    def read_gift(self, body):
        """``~%50%right#feedback ~%-50%wrong#feedback``: every answer weighted, in percent."""
        pieces = gift_answers(body)
        weights = [WEIGHTED.match(text) for _, text in pieces]
        if not pieces or not any(weights) or all(mark == "=" for mark, _ in pieces):  # = alone: short answer
            return None
        if not all(weights):
            raise FileError("give every answer a %weight%, or none")
        rows = []
        for order, ((_, text), weight) in enumerate(zip(pieces, weights, strict=True), start=1):
            answer, feedback = answer_and_feedback(text[weight.end() :])
            value = float(weight[1])
            rows.append(ChoiceRow(order, answer, value > 0, feedback, weight=value))
        return FileAnswers(rows)

    def write_gift(self, question, choices):
        return [
            f"~%{weight_of(choice, choices):g}%{gift_escape(choice.text)}#{gift_escape(choice.feedback)}"
            for choice in choices
        ]

    def write_moodle_xml(self, node, question, choices):
        fractions = [(choice, weight_of(choice, choices)) for choice in choices]
        write_multichoice(node, question, fractions, single=False)

    def read_moodle_xml(self, node):
        if node.get("type") != "multichoice" or single_answer(node):
            return None
        return FileAnswers(
            [
                ChoiceRow(order, text, fraction > 0, feedback, weight=fraction)
                for order, (text, fraction, feedback, _) in enumerate(answers_of(node), start=1)
            ]
        )

"""What the types a learner types into share: the input, the "no match" feedback, a full-credit answer."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from .base import QuestionType, Response, ResponseError, full_credit

NO_MATCH_FEEDBACK = "no_match_feedback"
MAX_RESPONSE = 500  # characters a learner may type: Answer.response_text's cap


class TypedAnswer(QuestionType):
    """The learner types a response; the first answer (in order) it matches gives its credit."""

    input_template = "quizzes/qtypes/typed_input.html"
    review_template = "quizzes/qtypes/typed_review.html"
    feedback_template = "quizzes/qtypes/typed_feedback.html"
    empty_message: ClassVar[str] = "Type your answer before submitting."
    min_choices: ClassVar[int] = 1
    input_mode: ClassVar[str] = "text"  # the keyboard a phone shows
    input_hint: ClassVar[str] = "A word or phrase; press Enter to submit."
    option_fields: ClassVar[dict[str, forms.Field]] = {
        NO_MATCH_FEEDBACK: forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            label="Feedback for any other answer",
            help_text="Numerical and short answer: shown when a response matches none of the answers.",
        )
    }

    def validate(self, question, choices) -> None:
        super().validate(question, choices)
        if not any(full_credit(choice) >= 1 for choice in choices):
            raise ValidationError(
                "Give at least one answer full credit (marked correct, weight empty or 100).",
                code="correct_choice_count",
            )
        for choice in choices:
            if choice.weight is not None and not 0 <= choice.weight <= 100:
                raise ValidationError(
                    "Answer %(order)s: a typed answer's credit is from 0 to 100%%.",
                    code="weight",
                    params={"order": choice.order},
                )

    def read(self, data, offer) -> Response:
        text = " ".join(data.get("response", "").split())
        if not text:
            raise ResponseError(self.empty_message)
        if len(text) > MAX_RESPONSE:
            raise ResponseError(f"Keep your answer under {MAX_RESPONSE} characters.")
        return Response(text=text)

    def response_text(self, shown) -> str:
        return shown.response

    def credit_text(self, choice, choices) -> str:
        return f"{full_credit(choice) * 100:g}%"

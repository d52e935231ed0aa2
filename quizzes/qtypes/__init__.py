"""Question types, one module each, found by the name a question stores in ``kind``.

Adding a type means adding its module and templates and listing it here; views, templates and
exporters ask ``type_of(question)`` and never test a question's kind themselves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .base import ChoiceRow, FileAnswers, FileError, Graded, Offer, QuestionType, Response, ResponseError
from .matching import Matching
from .multiple import MultipleResponse
from .numerical import Numerical
from .shortanswer import ShortAnswer
from .single import SingleChoice
from .truefalse import TrueFalse

# In the order GIFT's syntax is claimed: the most particular first, single choice (= and ~) last.
TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (TrueFalse(), Numerical(), Matching(), MultipleResponse(), ShortAnswer(), SingleChoice())
}
KIND_CHOICES = [(kind.name, kind.label) for kind in TYPES.values()]
DEFAULT_KIND = SingleChoice.name


def type_of(question) -> QuestionType:
    return TYPES[question.kind]


def read_gift(body: str) -> tuple[QuestionType | None, FileAnswers | None]:
    """The type whose syntax a GIFT answer block is written in, with its answers; (None, None) if none."""
    for kind in TYPES.values():
        if (answers := kind.read_gift(body)) is not None:
            return kind, answers
    return None, None


def read_moodle_xml(node) -> tuple[QuestionType | None, FileAnswers | None]:
    """The type a Moodle XML <question> is, with its answers; (None, None) for a type not supported here."""
    for kind in TYPES.values():
        if (answers := kind.read_moodle_xml(node)) is not None:
            return kind, answers
    return None, None


def validate_kind(kind: str) -> None:
    """The model field's check: its choices live here, so a new type needs no migration."""
    if kind not in TYPES:
        raise ValidationError(
            "%(kind)s is not a question type; the types are %(types)s.",
            code="kind",
            params={"kind": kind, "types": ", ".join(TYPES)},
        )


__all__ = [
    "DEFAULT_KIND",
    "KIND_CHOICES",
    "TYPES",
    "ChoiceRow",
    "FileAnswers",
    "FileError",
    "Graded",
    "Offer",
    "QuestionType",
    "Response",
    "ResponseError",
    "read_gift",
    "read_moodle_xml",
    "type_of",
    "validate_kind",
]

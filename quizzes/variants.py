"""A template question as one attempt asks it: its own variant's text, choices, key and plot.

The variant is drawn from the attempt's stored seed, so a reload asks the same one and another
attempt (almost always) a different one. Nothing here is saved: the answer's snapshot keeps what
was asked, with the variant's parameters, key, tolerance and the engine's version.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from rnnsim.core.templates import Variant
from rnnsim.variants import draw, fill, filled_copy

if TYPE_CHECKING:
    from .models import Choice, Question


def asked(question: Question, seed: str) -> Question:
    """The question itself, or for a template an unsaved copy filled in with the seed's variant."""
    if not question.template:
        return question
    return filled_with(question, draw(question.template, seed))


def filled_with(question: Question, variant: Variant) -> Question:
    """An unsaved copy of a template question with this variant's numbers, choices' source and plot."""
    return filled_copy(question, variant, ("text", "explanation"))


def variant_choices(question: Question, seed: str) -> list[Choice]:
    """The variant's choices, unsaved and shuffled by the seed: the key is not always first.

    A numerical variant has one answer, the key, with the variant's tolerance.
    """
    variant, Choice = question.variant, question.choices.model
    if not variant.choices:
        text = str(int(variant.key)) if variant.exact else f"{variant.key:.6g}"
        choice = Choice(question=question, order=1, text=text, tolerance=variant.tolerance, is_correct=True)
        choice.render()
        return [choice]
    beliefs = Choice.misconception.field.related_model.objects.in_bulk(
        {offered.misconception for offered in variant.choices if offered.misconception}, field_name="slug"
    )
    choices = []
    for order, offered in enumerate(variant.choices, start=1):
        choice = Choice(
            question=question,
            order=order,
            text=offered.text,
            is_correct=offered.is_correct,
            feedback=fill(offered.feedback, variant),
        )
        choice.variant_value = offered.value  # the number it stands for: where its plot marks a pick
        choice.misconception = beliefs.get(offered.misconception)
        choice.render()
        choices.append(choice)
    random.Random(f"{seed}:choices").shuffle(choices)  # noqa: S311 - variety, not secrecy
    return choices

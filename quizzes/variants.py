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

    A numerical variant's answers are the key, with the variant's tolerance, and then the wrong answers
    its rules give, each with the same relative tolerance: a typed one matching a rule is told why.
    """
    variant = question.variant
    beliefs = question.choices.model.misconception.field.related_model.objects.in_bulk(
        {offered.misconception for offered in variant.choices if offered.misconception}, field_name="slug"
    )
    if variant.typed:  # the key first: it wins where a wrong answer's range would overlap it
        relative = variant.tolerance / abs(variant.key) if variant.key else 0.0
        return [
            offered_choice(
                question,
                order,
                offered,
                beliefs,
                text=str(int(offered.value)) if variant.exact else f"{offered.value:.6g}",
                tolerance=relative * abs(offered.value),
                marked_at_value=False,  # a typed answer is marked at what was typed
            )
            for order, offered in enumerate(variant.choices, start=1)
        ]
    choices = [
        offered_choice(question, order, offered, beliefs, text=offered.text)
        for order, offered in enumerate(variant.choices, start=1)
    ]
    random.Random(f"{seed}:choices").shuffle(choices)  # noqa: S311 - variety, not secrecy
    return choices


def offered_choice(
    question: Question, order: int, offered, beliefs: dict, *, marked_at_value: bool = True, **fields
) -> Choice:
    """One of the variant's choices as an unsaved Choice, with what the answer's record needs of it."""
    choice = question.choices.model(
        question=question,
        order=order,
        is_correct=offered.is_correct,
        feedback=fill(offered.feedback, question.variant),
        **fields,
    )
    choice.variant_value = offered.value if marked_at_value else None  # where its plot marks a pick
    choice.variant_rule = offered.rule  # the wrong reasoning it stands for: counted in item analysis
    choice.misconception = beliefs.get(offered.misconception)
    choice.render()
    return choice

"""Matching: the learner pairs each item with an answer from one list, shuffled for each attempt.

Extra answers without an item are distractors. The credit is the share of items paired right.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from typing import ClassVar

from django.core.exceptions import ValidationError

from quizzes.gift import gift_escape
from quizzes.moodle_xml import text_element, text_of

from .base import ChoiceRow, FileAnswers, FileError, Graded, QuestionType, Response, ResponseError
from .single import answer_and_feedback, gift_answers

ARROW = "->"


def items_of(choices):
    return [choice for choice in choices if choice.text.strip()]


class Matching(QuestionType):
    name = "matching"
    label = "Matching"
    help = (
        "Items, each with the answer it pairs with (text: the item, matches: its answer); an answer with "
        "no item text is an extra wrong one. The learner picks an answer for every item; the credit is "
        "the share paired right."
    )
    input_template = "quizzes/qtypes/matching_input.html"
    review_template = "quizzes/qtypes/matching_review.html"
    feedback_template = "quizzes/qtypes/matching_feedback.html"
    moodle_type = "matching"
    blank_choices = True
    picks_choices: ClassVar[bool] = False  # its "picks" are the items paired right
    choice_fields: ClassVar[dict[str, str]] = {
        "order": "Order",
        "text": "Item (empty for an extra wrong answer)",
        "match_text": "Matches",
        "feedback": "Feedback when paired wrongly",
        "plot": "Feedback plot",
        "misconception": "Misconception, when paired wrongly",
    }

    def validate(self, question, choices) -> None:
        super().validate(question, choices)
        items = items_of(choices)
        if len(items) < 2:
            raise ValidationError("A matching question needs at least two items.", code="too_few_items")
        for choice in choices:
            if not choice.match_text.strip():
                raise ValidationError(
                    "Choice %(order)s: every item needs the answer it matches.",
                    code="no_match",
                    params={"order": choice.order},
                )
        texts = [item.text.strip() for item in items]
        if len(set(texts)) != len(texts):
            raise ValidationError("Two items have the same text.", code="duplicate_item")

    def answers(self, offer) -> list[tuple[str, str]]:
        """Every answer once, with its token, shuffled for the attempt (in order for a preview)."""
        texts = list(dict.fromkeys(choice.match_text for _, choice in offer.options))
        if offer.attempt is not None:
            question_id = offer.options[0][1].question_id
            random.Random(f"{offer.attempt.shuffle_seed}:{question_id}:answers").shuffle(texts)  # noqa: S311
        return [(offer.token(text), text) for text in texts]

    def input_context(self, offer) -> dict:
        items = [(token, choice) for token, choice in offer.options if choice.text.strip()]
        return {"match_items": items, "match_answers": self.answers(offer)}

    def read(self, data, offer):
        answers = dict(self.answers(offer))
        pairs = []
        for token, item in offer.options:
            if not item.text.strip():
                continue
            given = data.get(f"match-{token}", "")
            if not given:
                raise ResponseError("Pick an answer for every item before submitting.")
            if given not in answers:
                raise ResponseError("That answer does not belong to this question.")
            pairs.append((item, answers[given]))
        return Response(pairs=tuple(pairs))

    def grade(self, question, choices, response):
        right = tuple(item for item, answer in response.pairs if answer == item.match_text)
        return Graded(len(right) / len(response.pairs), right)

    def sample_response(self, question, choices, *, right):
        """Every item with its own answer; or every item with the next item's answer."""
        items = items_of(choices)
        answers = [item.match_text for item in items]
        if not right:
            answers = answers[1:] + answers[:1]
        return Response(pairs=tuple(zip(items, answers, strict=True)))

    def credit_text(self, choice, choices) -> str:
        return ""

    def misled(self, shown):
        """Each item paired wrongly, and each extra answer the learner gave to an item."""
        given = {item.given for item in shown.choices if item.text}
        wrong = [item for item in shown.choices if item.text and item.given != item.match]
        return wrong + [extra for extra in shown.choices if not extra.text and extra.match in given]

    def response_text(self, shown) -> str:
        return "; ".join(f"{item.text} → {item.given}" for item in shown.choices if item.text)

    def read_gift(self, body):
        """``=item -> answer =item2 -> answer2 = -> extra``: every answer marked = with an arrow."""
        pieces = gift_answers(body)
        if not pieces or not any(ARROW in text for _, text in pieces):
            return None
        rows = []
        for order, (mark, text) in enumerate(pieces, start=1):
            if mark != "=" or ARROW not in text:
                raise FileError("in a matching question every pair is written =item -> answer")
            item, _, answer = text.partition(ARROW)
            item_text, _ = answer_and_feedback(item)
            answer_text, _ = answer_and_feedback(answer)
            rows.append(ChoiceRow(order, item_text, False, "", match_text=answer_text))
        return FileAnswers(rows)

    def write_gift(self, question, choices):
        return [f"={gift_escape(choice.text)} {ARROW} {gift_escape(choice.match_text)}" for choice in choices]

    def write_moodle_xml(self, node, question, choices):
        ET.SubElement(node, "shuffleanswers").text = "true"
        for choice in choices:
            sub = text_element(node, "subquestion", choice.text)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = choice.match_text

    def card_answer(self, choices):
        return "  \n".join(f"{item.text} → **{item.match_text}**" for item in items_of(choices))

    def read_moodle_xml(self, node):
        if node.get("type") != "matching":
            return None
        return FileAnswers(
            [
                ChoiceRow(
                    order, text_of(sub), False, "", match_text=(sub.findtext("answer/text") or "").strip()
                )
                for order, sub in enumerate(node.findall("subquestion"), start=1)
            ]
        )

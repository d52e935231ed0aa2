"""The seed fixtures: faithful to the source documents, complete, and free of scraped noise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from flashcards.models import Card, Deck
from quizzes.models import Choice, Question, Quiz
from studysite.models import NoteSection, StudySet
from studysite.rendering import render_markdown

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
SCRAPED_NOISE = ["avatar", "READ ALSO", "Quizgecko", "Get started for free", "Post Your Answer", "Download"]

pytestmark = pytest.mark.usefixtures("seed")


def source_quiz_pairs() -> list[tuple[str, str]]:
    """The (question, correct answer) pairs of the source quiz, between its header and its notes."""
    text = (SOURCES / "quiz-rnn-gradients-and-backpropagation.txt").read_text()
    block = text.split("10 Questions", 1)[1].split("Study Notes", 1)[0]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    return list(zip(lines[::2], lines[1::2], strict=True))


def all_markdown() -> list[str]:
    texts = [s.body for s in NoteSection.objects.all()]
    for question in Question.objects.all():
        texts += [question.text, question.explanation]
    for choice in Choice.objects.all():
        texts += [choice.text, choice.feedback]
    for card in Card.objects.all():
        texts += [card.front, card.back]
    return texts


def test_the_seed_quiz_keeps_every_source_question_and_its_correct_answer() -> None:
    pairs = source_quiz_pairs()
    assert len(pairs) == 10
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    for question_text, answer in pairs:
        question = quiz.questions.get(text=question_text)
        correct = question.choices.get(is_correct=True)
        assert correct.text.strip("$").replace(" ", "") == answer.replace(" ", ""), question_text


def test_every_question_has_distractors_feedback_and_an_explanation() -> None:
    questions = Question.objects.filter(template__isnull=True).prefetch_related("choices")
    assert questions.count() >= 15
    for question in questions:
        choices = list(question.choices.all())
        question.validate_choices(choices)  # as its type grades it
        if question.kind == "single":
            assert len(choices) == 4, question  # three distractors
        assert all(len(choice.feedback) > 40 for choice in choices), question
        assert len(question.explanation) > 100, question
        assert question.notes_section is not None, question
        assert question.plot, question


def test_the_seed_quiz_has_a_question_of_every_type() -> None:
    from quizzes.qtypes import TYPES

    kinds = set(Quiz.objects.get(slug="rnn-gradients-bptt").questions.values_list("kind", flat=True))
    assert kinds == set(TYPES)


def test_extra_questions_cover_the_qa_pages() -> None:
    texts = " ".join(Question.objects.values_list("text", flat=True))
    for topic in ["vanilla RNN", r"\mathbf W_{ax}", "gradient measure", "w\\,a_{t-1}", "LSTM"]:
        assert topic in texts, topic


def test_imprecise_source_claims_are_corrected_in_explanations() -> None:
    complexity = Question.objects.get(text="What is the computational complexity of the BPTT algorithm?")
    assert "O(T\\cdot n^2)" in complexity.explanation
    assert "O(T\\cdot n)" in complexity.explanation  # memory
    w_ax = Question.objects.get(text__startswith="Is the gradient of the input weights")
    assert w_ax.choices.get(is_correct=True).text.startswith("No")
    residual = Question.objects.get(text__startswith="What technique can be used to mitigate vanishing")
    assert "may grow" in residual.explanation
    lstm = NoteSection.objects.get(anchor="lstm-gradients")
    assert "only while their forget gates stay near 1" in lstm.body


def test_notes_are_deduplicated_with_unique_anchors() -> None:
    sections = list(NoteSection.objects.all())
    titles = [s.title for s in sections]
    assert len(titles) == len(set(titles)) >= 9
    assert len({s.anchor for s in sections}) == len(sections)
    bullet = "Backpropagation through time (BPTT)** is used to compute"
    assert sum(bullet in s.body for s in sections) == 1


def test_the_deck_covers_every_section_with_equation_cards() -> None:
    deck = Deck.objects.get(slug="rnn-gradients-bptt")
    cards = list(deck.cards.all())
    assert len(cards) >= 25
    assert len({card.guid for card in cards}) == len(cards)
    for section in NoteSection.objects.all():
        bullets = len(re.findall(r"^\s*(?:-|\d+\.) ", section.body, flags=re.MULTILINE))
        drilled = sum(card.notes_section_id == section.pk for card in cards)
        assert drilled >= min(bullets, 3), section.anchor
    assert sum("$$" in card.back for card in cards) >= 3


def test_no_scraped_noise_in_content() -> None:
    text = " ".join(all_markdown() + list(StudySet.objects.values_list("description", flat=True)))
    for noise in SCRAPED_NOISE:
        assert noise not in text


def test_all_content_renders_without_math_errors() -> None:
    for text in all_markdown():
        html = render_markdown(text)
        assert "math-error" not in html, text
        assert "$" not in re.sub(r"<math.*?</math>", "", html, flags=re.DOTALL), text


def test_load_seed_is_idempotent_and_keeps_edits() -> None:
    section = NoteSection.objects.get(anchor="rnn-gradients")
    section.title = "Edited by an instructor"
    section.save()
    call_command("load_seed", verbosity=0)
    assert NoteSection.objects.get(pk=section.pk).title == "Edited by an instructor"
    assert StudySet.objects.count() == 1
    call_command("load_seed", force=True, verbosity=0)
    assert NoteSection.objects.get(pk=section.pk).title == "RNN gradients"

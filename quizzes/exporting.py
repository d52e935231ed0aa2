"""Quizzes out of StudySite: as flashcard decks (front: question and choices; back: the answer, the
explanation and its plot), as Moodle GIFT, and as Moodle XML with the plots embedded."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from rnnsim.figures import exported_png, spec_from_json
from rnnsim.variants import fixed_variants
from studysite.exchange import export_study_set
from studysite.note_exports import NoteRow

from .gift import gift_escape
from .models import Choice, Misconception, Question, Quiz
from .moodle_xml import PLOT_TAG, text_element
from .qtypes.base import LETTERS
from .variants import filled_with, variant_choices

FORMAT = "studysite-quiz"
VERSION = 1


def export_json(quiz: Quiz) -> dict:
    """Everything needed to recreate the quiz exactly in another database, its study set's notes included."""
    questions = questions_of(quiz)
    return {
        "format": FORMAT,
        "version": VERSION,
        "study_set": export_study_set(quiz.study_set),
        "quiz": {
            "title": quiz.title,
            "slug": quiz.slug,
            "description": quiz.description,
            "shuffle_questions": quiz.shuffle_questions,
            "shuffle_choices": quiz.shuffle_choices,
            "pass_mark": quiz.pass_mark,
            "published": quiz.published,
            "certainty_marking": quiz.certainty_marking,
        },
        "misconceptions": [
            {
                "slug": belief.slug,
                "statement": belief.statement,
                "notes_section": belief.notes_section.anchor if belief.notes_section else None,
                "whatif": belief.whatif,
            }
            for belief in misconceptions_of(questions)
        ],
        "questions": [
            {
                "guid": q.guid,
                "order": q.order,
                "kind": q.kind,
                "options": q.options,
                "text": q.text,
                "explanation": q.explanation,
                "plot": q.plot,
                "template": q.template,
                "notes_section": q.notes_section.anchor if q.notes_section else None,
                "choices": [
                    {
                        "order": c.order,
                        "text": c.text,
                        "is_correct": c.is_correct,
                        "weight": c.weight,
                        "tolerance": c.tolerance,
                        "match_text": c.match_text,
                        "feedback": c.feedback,
                        "plot": c.plot,
                        "misconception": c.misconception.slug if c.misconception else None,
                    }
                    for c in sorted(q.choices.all(), key=lambda c: c.order)
                ],
            }
            for q in questions
        ],
    }


def questions_of(quiz: Quiz) -> list[Question]:
    questions = quiz.questions.select_related("notes_section").order_by("order")
    return list(questions.prefetch_related("choices__misconception__notes_section"))


def misconception_slugs(question: Question, choices: list[Choice]) -> list[str]:
    """The misconceptions a question's wrong responses point to: its choices' and its template's rules'."""
    named = [choice.misconception.slug for choice in choices if choice.misconception]
    named += list(((question.template or {}).get("misconceptions") or {}).values())
    return list(dict.fromkeys(named))


def misconceptions_of(questions: list[Question]) -> list[Misconception]:
    """Every misconception the questions point to, each once: what a JSON file defines beside them."""
    slugs = [slug for q in questions for slug in misconception_slugs(q, list(q.choices.all()))]
    found = Misconception.objects.select_related("notes_section").in_bulk(slugs, field_name="slug")
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]


@dataclass(frozen=True)
class Exported:
    """A question as a file without simulations holds it: a template becomes a few fixed variants."""

    question: Question  # a template's is an unsaved copy, filled in with one variant
    choices: list[Choice]
    name: str
    guid: str  # a variant's is derived from its template's and its number, so a re-export updates it


def exported(quiz: Quiz) -> Iterator[Exported]:
    """Every question, each template as STUDYSITE_EXPORTED_VARIANTS distinct pre-drawn variants."""
    for question in questions_of(quiz):
        if not question.template:
            choices = sorted(question.choices.all(), key=lambda c: c.order)
            yield Exported(question, choices, f"Q{question.order}", question.guid)
            continue
        for number, (guid, variant) in enumerate(fixed_variants(question.template, question.guid), start=1):
            filled = filled_with(question, variant)
            choices = variant_choices(filled, guid)
            yield Exported(filled, choices, f"Q{question.order} variant {number}", guid)


def quiz_rows(quiz: Quiz) -> list[NoteRow]:
    """One card per question (per variant of a template), keyed by GUID so a re-export updates it."""
    rows = []
    for item in exported(quiz):
        question, choices = item.question, item.choices
        front = question.text + "\n\n" + "\n".join(f"{LETTERS[i]}. {c.text}  " for i, c in enumerate(choices))
        back = f"{question.type.card_answer(choices)}\n\n{question.explanation}"
        tags = ["quiz", quiz.slug] + ([question.notes_section.anchor] if question.notes_section_id else [])
        tags += [f"misconception::{slug}" for slug in misconception_slugs(question, choices)]
        rows.append(NoteRow(item.guid, front, back, tags, question.plot))
    return rows


def export_gift(quiz: Quiz) -> str:
    """Moodle GIFT: each question's answers in its type's syntax, the explanation as general feedback."""
    blocks = [f"// {quiz.title}\n// Exported from StudySite. Text is Markdown with LaTeX.\n"]
    for item in exported(quiz):
        question, choices = item.question, item.choices
        lines = [f"::{gift_escape(item.name)}::[markdown]{gift_escape(question.text)} {{"]
        lines += [f"\t{line}" for line in question.type.write_gift(question, choices)]
        lines.append(f"\t####{gift_escape(question.explanation)}")
        lines.append("}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def export_moodle_xml(quiz: Quiz) -> bytes:
    """Moodle XML: each question as its type writes it, with each explanation's plot embedded in base64."""
    root = ET.Element("quiz")
    category = ET.SubElement(root, "question", {"type": "category"})
    text_element(category, "category", f"$course$/StudySite/{quiz.title}", fmt=None)
    for item in exported(quiz):
        question = item.question
        node = ET.SubElement(root, "question", {"type": question.type.moodle_type})
        text_element(node, "name", item.name, fmt=None)
        body = question.text
        feedback = text_element(node, "generalfeedback", question.explanation)
        spec = spec_from_json(question.plot)
        if spec is not None:
            plot, png = exported_png(spec)
            name = f"plot-{plot.key[:16]}.png"
            data = base64.b64encode(png).decode()
            # The image carries no title (the site shows it as the caption), so the text says it.
            feedback.find("text").text += f"\n\n**{plot.title}**\n\n![{plot.alt}](@@PLUGINFILE@@/{name})"
            ET.SubElement(feedback, "file", {"name": name, "path": "/", "encoding": "base64"}).text = data
            tag = ET.SubElement(ET.SubElement(node, "tags"), "tag")
            ET.SubElement(tag, "text").text = PLOT_TAG + json.dumps(question.plot, sort_keys=True)
        text_element(node, "questiontext", body)
        ET.SubElement(node, "defaultgrade").text = "1"
        question.type.write_moodle_xml(node, question, item.choices)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")

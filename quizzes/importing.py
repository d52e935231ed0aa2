"""Quizzes into StudySite from StudySite JSON (lossless) or Moodle GIFT, validated whole, in one transaction.

Questions are matched by GUID (JSON) or by their GIFT name within the quiz, so importing a file
again updates questions instead of duplicating them; choices are matched by their order, so learners'
answers to unchanged choices survive a re-import.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from rnnsim.core.experiments import ParameterError
from rnnsim.figures import spec_from_json
from studysite.exchange import ImportRejected, checked, decode, load_json, save_study_set, section_anchors

from .exporting import FORMAT
from .models import Choice, Question, Quiz

MAX_QUESTIONS = 2_000


@dataclass
class ChoiceRow:
    order: int
    text: str
    is_correct: bool
    feedback: str
    plot: object = None


@dataclass
class QuestionRow:
    where: str
    text: str
    explanation: str
    choices: list[ChoiceRow]
    guid: str = ""
    order: int | None = None
    plot: object = None
    notes_section: str | None = None
    gift_name: str = ""  # GIFT's ::name::, which identifies the question within its quiz


@dataclass
class ParsedQuiz:
    questions: list[QuestionRow]
    quiz: dict | None = None
    study_set: dict | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuizImportResult:
    quiz: Quiz
    created: int
    updated: int


def parse_json(text: str) -> ParsedQuiz:
    data = load_json(text, fmt=FORMAT, kind="quiz", parts={"quiz": dict, "questions": list})
    parsed = ParsedQuiz(questions=[], quiz=data["quiz"], study_set=data.get("study_set"))
    for number, q in enumerate(data["questions"], start=1):
        where = f"question {number}"
        if not isinstance(q, dict) or not isinstance(q.get("choices"), list):
            parsed.problems.append(f'{where}: must be an object with a "choices" list')
            continue
        choices = []
        for c in q["choices"]:
            if not isinstance(c, dict):
                parsed.problems.append(f"{where}: every choice must be an object")
                break
            choices.append(
                ChoiceRow(
                    c.get("order"),
                    c.get("text", ""),
                    bool(c.get("is_correct")),
                    c.get("feedback", ""),
                    c.get("plot"),
                )
            )
        parsed.questions.append(
            QuestionRow(
                where,
                q.get("text", ""),
                q.get("explanation", ""),
                choices,
                guid=q.get("guid") or "",
                order=q.get("order"),
                plot=q.get("plot"),
                notes_section=q.get("notes_section"),
            )
        )
    return parsed


GIFT_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def gift_unescape(text: str) -> str:
    return GIFT_ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], text).strip()


def gift_split(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters, returning (separator, text) pairs."""
    parts, current, mark, escaped = [], [], "", False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append((mark, "".join(current)))
            mark, current = char, []
        else:
            current.append(char)
    parts.append((mark, "".join(current)))
    return parts


def parse_gift(text: str) -> ParsedQuiz:
    """Moodle GIFT multiple choice: ::name::text {=right#feedback ~wrong#feedback ####general feedback}."""
    parsed = ParsedQuiz(questions=[])
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    blocks, block, start = [], [], 1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if block:
                blocks.append((start, "\n".join(block)))
                block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        blocks.append((start, "\n".join(block)))
    for start, source in blocks:
        where = f"line {start}"
        opens = [m.start() for m in re.finditer(r"(?<!\\){", source)]
        closes = [m.start() for m in re.finditer(r"(?<!\\)}", source)]
        if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
            parsed.problems.append(
                f"{where}: unbalanced braces; a question needs exactly one {{ … }} answer list"
            )
            continue
        head, body = source[: opens[0]], source[opens[0] + 1 : closes[0]]
        name = ""
        if match := re.match(r"\s*::(.*?)(?<!\\)::", head, re.DOTALL):
            name, head = gift_unescape(match[1]), head[match.end() :]
        head = re.sub(r"^\s*\[(markdown|html|plain|moodle)\]", "", head)
        general, answers = "", []
        pieces = gift_split(body, "=~")
        for mark, piece in pieces:
            if not mark:
                if piece.strip():
                    parsed.problems.append(f"{where}: text before the first answer: {piece.strip()[:40]!r}")
                continue
            if "####" in piece:
                piece, general = piece.split("####", 1)
            answer, *feedback = (text for _, text in gift_split(piece, "#"))
            answers.append(
                ChoiceRow(
                    len(answers) + 1, gift_unescape(answer), mark == "=", gift_unescape("#".join(feedback))
                )
            )
        if not answers:
            parsed.problems.append(f"{where}: no answers; mark the right one with = and the others with ~")
            continue
        guid = uuid.uuid5(uuid.NAMESPACE_URL, f"studysite:gift:{name}").hex if name else ""
        parsed.questions.append(
            QuestionRow(where, gift_unescape(head), gift_unescape(general), answers, guid)
        )
    return parsed


PARSERS = {"json": parse_json, "gift": parse_gift}


def import_quiz(content: bytes, *, fmt: str, quiz: Quiz | None = None) -> QuizImportResult:
    """Import a StudySite quiz file (JSON), or GIFT questions into ``quiz``."""
    if fmt not in PARSERS:
        raise ImportRejected([f"unknown format {fmt!r}; use json or gift"])
    parsed = PARSERS[fmt](decode(content))
    if len(parsed.questions) > MAX_QUESTIONS:
        raise ImportRejected(
            [f"the file has {len(parsed.questions)} questions; the limit is {MAX_QUESTIONS}"]
        )
    if parsed.quiz is None and quiz is None:
        raise ImportRejected([f"a {fmt.upper()} file has no quiz of its own: choose the quiz to import into"])
    problems = parsed.problems + [p for q in parsed.questions for p in question_problems(q)]
    if problems:
        raise ImportRejected(problems)
    try:
        with transaction.atomic():
            return save(parsed, quiz)
    except ValidationError as error:
        raise ImportRejected(error.messages) from None


def question_problems(row: QuestionRow) -> list[str]:
    problems = [f"{row.where}, field {name}: is empty" for name in ("text",) if not str(row.text).strip()]
    try:
        Question.validate_choices([Choice(order=c.order, is_correct=c.is_correct) for c in row.choices])
    except ValidationError as error:
        problems += [f"{row.where}, field choices: {message}" for message in error.messages]
    for label, value in [("plot", row.plot), *((f"choice {c.order} plot", c.plot) for c in row.choices)]:
        try:
            spec_from_json(value)
        except ParameterError as error:
            problems.append(f"{row.where}, field {label}: {error}")
    return problems


QUIZ_FIELDS = ("title", "description", "shuffle_questions", "shuffle_choices", "pass_mark", "published")


def save(parsed: ParsedQuiz, quiz: Quiz | None) -> QuizImportResult:
    study_set = save_study_set(parsed.study_set) if parsed.study_set else None
    if parsed.quiz is not None:
        quiz = Quiz.objects.filter(slug=parsed.quiz.get("slug")).first() or Quiz(slug=parsed.quiz.get("slug"))
        for name in QUIZ_FIELDS:
            if name in parsed.quiz:
                setattr(quiz, name, parsed.quiz[name])
        if study_set is not None:
            quiz.study_set = study_set
        checked(quiz, "quiz")
    sections = section_anchors(quiz.study_set)
    existing = {
        q.guid: q for q in Question.objects.filter(guid__in=[r.guid for r in parsed.questions if r.guid])
    }
    next_order = (max(quiz.questions.values_list("order", flat=True), default=0)) + 1
    created = updated = 0
    for row in parsed.questions:
        if not row.guid and row.gift_name:
            row.guid = uuid.uuid5(uuid.NAMESPACE_URL, f"studysite:gift:{quiz.slug}:{row.gift_name}").hex
            existing |= {q.guid: q for q in Question.objects.filter(guid=row.guid)}
        question = existing.get(row.guid)
        is_new = question is None
        if is_new:
            question = Question(**({"guid": row.guid} if row.guid else {}))
        if row.order is not None:
            question.order = row.order
        elif is_new:
            question.order, next_order = next_order, next_order + 1
        question.quiz, question.text, question.explanation = quiz, row.text, row.explanation
        if parsed.quiz is not None:
            question.plot = row.plot or None
            question.notes_section = sections.get(row.notes_section) if row.notes_section else None
        checked(question, row.where)
        save_choices(question, row)
        created += is_new
        updated += not is_new
    return QuizImportResult(quiz=quiz, created=created, updated=updated)


def save_choices(question: Question, row: QuestionRow) -> None:
    by_order = {c.order: c for c in question.choices.all()}
    for number, data in enumerate(row.choices, start=1):
        choice = by_order.pop(data.order, None) or Choice(question=question, order=data.order)
        choice.text, choice.is_correct, choice.feedback, choice.plot = (
            data.text,
            data.is_correct,
            data.feedback,
            data.plot or None,
        )
        checked(choice, f"{row.where}, choice {number}")
    for leftover in by_order.values():
        leftover.delete()

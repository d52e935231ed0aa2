"""Quizzes into StudySite from StudySite JSON (lossless) or Moodle GIFT, validated whole, in one transaction.

Questions are matched by GUID (JSON) or by their GIFT name within the quiz, so importing a file
again updates questions instead of duplicating them; choices are matched by their order, so learners'
answers to unchanged choices survive a re-import.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused_tree
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from rnnsim.core.experiments import ParameterError
from rnnsim.figures import spec_from_json
from rnnsim.variants import one_files_checking
from studysite.exchange import (
    ImportRejected,
    Record,
    decode,
    import_target,
    link_rows,
    load_json,
    parse_study_set,
    repeated_guid_problems,
    save_target,
    validation_problems,
)

from .content import renew_versions
from .exporting import FORMAT
from .gift import BLANK, formatted, gift_blocks, gift_label, gift_unescape
from .models import Choice, Misconception, Question, Quiz
from .moodle_xml import PLOT_TAG, text_of
from .qtypes import DEFAULT_KIND, TYPES, ChoiceRow, FileError, read_gift, read_moodle_xml

MAX_QUESTIONS = 2_000


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
    kind: str = DEFAULT_KIND
    options: dict = field(default_factory=dict)
    gift_name: str = ""  # GIFT's ::name::, which identifies the question within its quiz
    template: dict | None = None  # a question the simulation writes (JSON only)


@dataclass
class ParsedQuiz:
    questions: list[QuestionRow]
    quiz: dict | None = None
    study_set: dict | None = None
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # questions no type here can grade, each said why
    warnings: list[str] = field(default_factory=list)  # imported, but worth a look
    misconceptions: dict[str, dict] = field(default_factory=dict)  # slug → what the file says of it


@dataclass(frozen=True)
class PlannedChange:
    """What an import does to one question of the file: what a preview lists."""

    where: str  # the file's line and the question's name
    change: str  # "create", or "update question 4"
    kind: str  # the type's label

    def __str__(self) -> str:
        return f"{self.where}: {self.change}"


@dataclass(frozen=True)
class QuizImportResult:
    quiz: Quiz
    created: int
    updated: int
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    actions: list[PlannedChange] = field(default_factory=list)
    applied: bool = True  # False for a dry run, which writes nothing
    new_misconceptions: list[str] = field(default_factory=list)  # "slug: statement" of each one created


QUIZ_FIELDS = {
    "title": str,
    "slug": str,
    "description": str,
    "shuffle_questions": bool,
    "shuffle_choices": bool,
    "pass_mark": int,
    "published": bool,
    "certainty_marking": bool,
}


def parse_json(text: str) -> ParsedQuiz:
    data = load_json(text, fmt=FORMAT, kind="quiz", parts={"quiz": dict, "questions": list})
    problems: list[str] = []
    parsed = ParsedQuiz(
        questions=[],
        quiz=Record(data["quiz"], "quiz", problems).present(**QUIZ_FIELDS),
        study_set=parse_study_set(data.get("study_set"), problems),
        problems=problems,
    )
    for number, raw in enumerate(data.get("misconceptions") or [], start=1):
        record = Record(raw, f"misconception {number}", problems)
        slug = record.text("slug")
        parsed.misconceptions[slug] = {
            "statement": record.text("statement"),
            "notes_section": record.get("notes_section", str),
            "whatif": record.text("whatif"),
            "where": record.where,
        }
    for number, raw in enumerate(data["questions"], start=1):
        record = Record(raw, f"question {number}", problems)
        choices = []
        for index, raw_choice in enumerate(record.get("choices", list, []), start=1):
            choice = Record(raw_choice, f"question {number}, choice {index}", problems)
            choices.append(
                ChoiceRow(
                    choice.get("order", int, index),
                    choice.text("text"),
                    choice.get("is_correct", bool, False),
                    choice.text("feedback"),
                    choice.get("plot", dict),
                    choice.get("weight", float),
                    choice.get("tolerance", float),
                    choice.text("match_text"),
                    choice.get("misconception", str) or "",
                )
            )
        if record.valid and "choices" not in record.data:
            problems.append(f'question {number}: needs a "choices" list')
        parsed.questions.append(
            QuestionRow(
                record.where,
                record.text("text"),
                record.text("explanation"),
                choices,
                guid=record.text("guid"),
                order=record.get("order", int),
                plot=record.get("plot", dict),
                notes_section=record.get("notes_section", str),
                kind=record.get("kind", str, DEFAULT_KIND),
                options=record.get("options", dict, {}),
                template=record.get("template", dict),
            )
        )
    return parsed


def distinct_name(name: str, line: int, names: dict[str, int], warnings: list[str]) -> str:
    """A GIFT name, made distinct when Moodle's file repeats it, so that a re-import stays unambiguous."""
    if name in names:
        number = 2
        while f"{name} ({number})" in names:
            number += 1
        renamed = f"{name} ({number})"
        warnings.append(
            f'lines {names[name]} and {line}: two questions are named "{name}"; both are imported, the '
            f'second as "{renamed}"'
        )
        name = renamed
    names[name] = line
    return name


def parse_gift(text: str) -> ParsedQuiz:
    """Moodle GIFT: ::name::text {answers ####general feedback}, each answer list in its type's syntax."""
    parsed = ParsedQuiz(questions=[])
    names: dict[str, int] = {}
    for start, source in gift_blocks(text):
        name, rest = "", source
        if match := re.match(r"\s*::(.*?)(?<!\\)::", source, re.DOTALL):
            name, rest = gift_unescape(match[1]), source[match.end() :]
            name = distinct_name(name, start, names, parsed.warnings)
        opens = [m.start() for m in re.finditer(r"(?<!\\){", rest)]
        closes = [m.start() for m in re.finditer(r"(?<!\\)}", rest)]
        where = f"line {start}, question {gift_label(name, rest[: opens[0]] if opens else rest)}"
        if not opens and not closes:
            parsed.skipped.append(f"{where}: skipped: a description (no answers) has nothing to grade")
            continue
        if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
            parsed.problems.append(
                f"{where}: unbalanced braces; a question needs exactly one {{ … }} answer list"
            )
            continue
        head, body, tail = rest[: opens[0]], rest[opens[0] + 1 : closes[0]], rest[closes[0] + 1 :]
        question_text = formatted(head)
        if tail.strip():
            question_text = f"{question_text} {BLANK} {gift_unescape(tail)}".strip()
        body, general = [*GENERAL_FEEDBACK.split(body, maxsplit=1), ""][:2]
        if not body.strip():
            parsed.skipped.append(f"{where}: skipped: an essay ({{}}) has no automatic grading")
            continue
        try:
            kind, answers = read_gift(body)
        except FileError as error:
            parsed.problems.append(f"{where}: {error}")
            continue
        if kind is None:
            parsed.problems.append(f"{where}: no answers; mark the right one with = and the others with ~")
            continue
        parsed.questions.append(
            QuestionRow(
                where,
                question_text,
                formatted(general),
                answers.choices,
                gift_name=name,
                kind=kind.name,
                options=answers.options,
            )
        )
    return parsed


GENERAL_FEEDBACK = re.compile(r"(?<!\\)####")


# What export_moodle_xml appends to a general feedback to show its plot in Moodle: read back, it goes.
PLOT_IN_FEEDBACK = re.compile(r"\n*\*\*[^\n]*\*\*\n+!\[[^\]]*\]\(@@PLUGINFILE@@/plot-[0-9a-f]{16}\.png\)\s*$")
UNGRADED = {"essay": "an essay has no automatic grading", "description": "a description has nothing to grade"}


def parse_moodle_xml(text: str) -> ParsedQuiz:
    """Moodle XML: each <question> read by the type claiming it; categories ignored, the ungraded skipped."""
    try:
        root = defused_tree.fromstring(text)
    except defused_tree.ParseError as error:
        raise ImportRejected([f"line {error.position[0]}: not well-formed XML ({error})"]) from None
    except DefusedXmlException:
        raise ImportRejected(["the file declares a DTD or entities, which an import never reads"]) from None
    if root.tag != "quiz":
        raise ImportRejected([f"a Moodle XML file holds a <quiz>, not a <{root.tag}>"])
    lines = [text.count("\n", 0, match.start()) + 1 for match in re.finditer(r"<question\b", text)]
    parsed = ParsedQuiz(questions=[])
    names: dict[str, int] = {}
    for index, node in enumerate(root.findall("question")):
        line, qtype = (lines[index] if index < len(lines) else 0), node.get("type", "")
        if qtype == "category":
            continue
        body = text_of(node, "questiontext")
        name = distinct_name(text_of(node, "name"), line, names, parsed.warnings)
        where = f"line {line}, question {gift_label(name, body)}"
        if qtype in UNGRADED or not qtype:
            parsed.skipped.append(f"{where}: skipped: {UNGRADED.get(qtype, 'it has no type')}")
            continue
        try:
            kind, answers = read_moodle_xml(node)
        except FileError as error:
            parsed.problems.append(f"{where}: {error}")
            continue
        if kind is None:
            parsed.skipped.append(f"{where}: skipped: Moodle's {qtype} questions are not supported here")
            continue
        parsed.questions.append(
            QuestionRow(
                where,
                body,
                PLOT_IN_FEEDBACK.sub("", text_of(node, "generalfeedback")),
                answers.choices,
                gift_name=name,
                kind=kind.name,
                options=answers.options,
                plot=plot_tag(node),
            )
        )
    return parsed


def plot_tag(node) -> dict | None:
    """The plot spec an export keeps in a tag, so that a round trip keeps the plot."""
    for tag in node.findall("tags/tag"):
        text = tag.findtext("text") or ""
        if text.startswith(PLOT_TAG):
            try:
                value = json.loads(text[len(PLOT_TAG) :])
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


PARSERS = {"json": parse_json, "gift": parse_gift, "xml": parse_moodle_xml}


def format_of(filename: str) -> str:
    """A file's format by its name: Moodle saves GIFT as .txt or .gift, its XML as .xml."""
    name = filename.lower()
    return "gift" if name.endswith((".gift", ".txt")) else name.rpartition(".")[2]


def import_quiz(
    content: bytes, *, fmt: str, quiz: Quiz | None = None, dry_run: bool = False
) -> QuizImportResult:
    """Import a StudySite quiz file (JSON), or GIFT questions into ``quiz``; a dry run writes nothing.

    Everything is read, validated and built before the first write, so the write transaction (and
    SQLite's one write lock, which learners' answers wait for) lasts only as long as the writing.
    """
    if fmt not in PARSERS:
        raise ImportRejected([f"unknown format {fmt!r}; use json, gift or xml"])
    parsed = PARSERS[fmt](decode(content))
    if len(parsed.questions) > MAX_QUESTIONS:
        raise ImportRejected(
            [f"the file has {len(parsed.questions)} questions; the limit is {MAX_QUESTIONS}"]
        )
    if parsed.quiz is None and quiz is None:
        raise ImportRejected([f"a {fmt.upper()} file has no quiz of its own: choose the quiz to import into"])
    with one_files_checking():  # every template of the file, each of whose draws runs, in one budget
        plan = build(parsed, quiz)
    if parsed.problems or plan.problems:  # every problem of the file, in one report
        raise ImportRejected(parsed.problems + plan.problems)
    if dry_run:
        return result_of(plan, parsed, applied=False)
    try:
        with transaction.atomic():
            return write(plan, parsed)
    except ValidationError as error:  # the study set's notes, validated as they are saved
        raise ImportRejected(error.messages) from None
    except IntegrityError as error:  # another writer took a GUID or an order between the checks and now
        raise ImportRejected(
            [f"the quiz changed during the import, so nothing was imported ({error})"]
        ) from None


@dataclass
class Plan:
    """The rows an import will write, all validated, with the problems that stop it."""

    quiz: Quiz
    new_questions: list[Question] = field(default_factory=list)
    changed_questions: list[Question] = field(default_factory=list)
    new_choices: list[Choice] = field(default_factory=list)
    changed_choices: list[Choice] = field(default_factory=list)
    dropped_choice_ids: list[int] = field(default_factory=list)
    notes_anchors: dict[int, str | None] = field(default_factory=dict)  # id(question) → anchor
    misconceptions: dict[str, Misconception] = field(default_factory=dict)  # by slug: existing, or new
    new_misconceptions: list[Misconception] = field(default_factory=list)
    actions: list[PlannedChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def build(parsed: ParsedQuiz, quiz: Quiz | None) -> Plan:
    """Match every row to what exists, report conflicts, and build the rows to write, unsaved."""
    problems = [p for row in parsed.questions for p in question_problems(row)]
    target = import_target(Quiz, parsed.quiz, quiz, label="quiz", problems=problems)
    plan = Plan(quiz=target, problems=problems)
    plan_misconceptions(plan, parsed)
    for row in parsed.questions:
        if not row.guid and row.gift_name:  # a GIFT name identifies its question within this quiz only
            row.guid = uuid.uuid5(uuid.NAMESPACE_URL, f"studysite:gift:{target.slug}:{row.gift_name}").hex
    problems += repeated_guid_problems(parsed.questions, "question")
    guids = [row.guid for row in parsed.questions if row.guid]
    existing = {q.guid: q for q in Question.objects.filter(guid__in=guids).select_related("quiz")}
    choices_of: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__in=[q.pk for q in existing.values()]):
        choices_of.setdefault(choice.question_id, []).append(choice)
    kept_orders = dict(
        target.questions.exclude(guid__in=guids).values_list("order", "pk") if target.pk else []
    )
    next_order = max(target.questions.values_list("order", flat=True), default=0) + 1 if target.pk else 1
    for row in parsed.questions:
        question = existing.get(row.guid)
        if question is not None and question.quiz_id != target.pk:
            problems.append(
                f"{row.where}: conflict: its GUID {row.guid} belongs to question {question.order} of the "
                f"quiz {question.quiz.slug!r}; an import changes only its own quiz (remove the GUID to add "
                "a copy)"
            )
            continue
        label = TYPES[row.kind].label if row.kind in TYPES else row.kind
        if question is None:
            question = Question(quiz=target, **({"guid": row.guid} if row.guid else {}))
            plan.new_questions.append(question)
            plan.actions.append(PlannedChange(row.where, "create", label))
        else:
            plan.changed_questions.append(question)
            plan.actions.append(PlannedChange(row.where, f"update question {question.order}", label))
        if row.order is not None:
            question.order = row.order
        elif question.pk is None:
            question.order, next_order = next_order, next_order + 1
        question.text, question.explanation = row.text, row.explanation
        question.kind, question.options = row.kind, row.options
        if parsed.quiz is not None:  # JSON carries templates; GIFT and XML hold plain questions
            question.template = row.template
        question.render()  # bulk writes skip save(), and drawing belongs before the write transaction
        if parsed.quiz is not None or row.plot:  # JSON (and an XML export's tag) carry plots; GIFT does not
            question.plot = row.plot or None
            plan.notes_anchors[id(question)] = row.notes_section
        if question.order in kept_orders:
            problems.append(f"{row.where}, field order: {question.order} is taken by another question")
        kept_orders[question.order] = question.pk
        problems += validation_problems(question, row.where, exclude=["quiz", "notes_section"])
        plan_choices(plan, question, row, choices_of.get(question.pk, []))
    return plan


def plan_misconceptions(plan: Plan, parsed: ParsedQuiz) -> None:
    """The misconceptions the file's questions point to: existing ones by slug, untouched (an import
    changes only its quiz); unknown ones created, from what the file says of them, or from the slug."""
    named = {choice.misconception for row in parsed.questions for choice in row.choices} | {
        slug
        for row in parsed.questions
        for slug in ((row.template or {}).get("misconceptions") or {}).values()
    }
    named -= {""}
    plan.misconceptions = Misconception.objects.in_bulk(list(named), field_name="slug")
    for slug in sorted(named - set(plan.misconceptions)):
        said = parsed.misconceptions.get(slug, {})
        where = said.get("where", f"misconception {slug!r}")
        belief = Misconception(
            slug=slug,
            statement=said.get("statement") or slug.replace("-", " ").capitalize() + ".",
            whatif=said.get("whatif", ""),
        )
        plan.notes_anchors[id(belief)] = said.get("notes_section")
        plan.problems += validation_problems(belief, where, exclude=["notes_section"])
        plan.misconceptions[slug] = belief
        plan.new_misconceptions.append(belief)


def plan_choices(plan: Plan, question: Question, row: QuestionRow, current: list[Choice]) -> None:
    """Choices are matched by order; the ones the file no longer has are dropped (answers keep theirs)."""
    by_order = {choice.order: choice for choice in current}
    for number, data in enumerate(row.choices, start=1):
        choice = by_order.pop(data.order, None)
        if choice is None:
            choice = Choice(question=question, order=data.order)
            plan.new_choices.append(choice)
        else:
            plan.changed_choices.append(choice)
        choice.text, choice.is_correct, choice.feedback, choice.plot = (
            data.text,
            data.is_correct,
            data.feedback,
            data.plot or None,
        )
        choice.weight, choice.tolerance, choice.match_text = data.weight, data.tolerance, data.match_text
        choice.misconception = plan.misconceptions.get(data.misconception)
        choice.render()
        plan.problems += validation_problems(choice, f"{row.where}, choice {number}", exclude=["question"])
    plan.dropped_choice_ids += [choice.pk for choice in by_order.values()]


PARKED = 1_000_000  # orders are moved out of the way first, so the file may swap them freely


def write(plan: Plan, parsed: ParsedQuiz) -> QuizImportResult:
    """All the writes, in bulk: a few statements however many questions there are."""
    quiz = plan.quiz
    sections = save_target(quiz, study_set=parsed.study_set, described=parsed.quiz is not None)
    questions = plan.new_questions + plan.changed_questions
    link_rows(questions, parent="quiz", target=quiz, sections=sections, anchors=plan.notes_anchors)
    for belief in plan.new_misconceptions:  # its notes, by anchor, among the quiz's study set's
        belief.notes_section = sections.get(plan.notes_anchors.get(id(belief)) or "")
    Misconception.objects.bulk_create(plan.new_misconceptions)
    changed = [q.pk for q in plan.changed_questions]
    Question.objects.filter(pk__in=changed).update(order=F("order") + PARKED)
    Question.objects.bulk_update(
        plan.changed_questions,
        [
            "quiz",
            "order",
            "kind",
            "options",
            "template",
            "text",
            "explanation",
            "plot",
            "notes_section",
            *Question.rendered_fields,
        ],
        batch_size=500,
    )
    Question.objects.bulk_create(plan.new_questions, batch_size=500)
    Choice.objects.filter(pk__in=plan.dropped_choice_ids).delete()
    Choice.objects.bulk_update(
        plan.changed_choices,
        [
            "text",
            "is_correct",
            "weight",
            "tolerance",
            "match_text",
            "feedback",
            "plot",
            "misconception",
            *Choice.rendered_fields,
        ],
        batch_size=500,
    )
    Choice.objects.bulk_create(plan.new_choices, batch_size=500)
    renew_versions(Q(pk=quiz.pk))  # bulk writes send no signals, so the question cache is renewed here
    return result_of(plan, parsed, applied=True)


def result_of(plan: Plan, parsed: ParsedQuiz, *, applied: bool) -> QuizImportResult:
    return QuizImportResult(
        quiz=plan.quiz,
        created=len(plan.new_questions),
        updated=len(plan.changed_questions),
        skipped=parsed.skipped,
        warnings=parsed.warnings,
        actions=plan.actions,
        applied=applied,
        new_misconceptions=[f"{belief.slug}: {belief.statement}" for belief in plan.new_misconceptions],
    )


def question_problems(row: QuestionRow) -> list[str]:
    problems = [f"{row.where}, field {name}: is empty" for name in ("text",) if not str(row.text).strip()]
    if row.kind not in TYPES:  # the kind field's own validator names the types
        return problems
    choices = [
        Choice(
            order=c.order,
            text=c.text,
            is_correct=c.is_correct,
            weight=c.weight,
            tolerance=c.tolerance,
            match_text=c.match_text,
        )
        for c in row.choices
    ]
    try:
        Question(kind=row.kind, options=row.options, template=row.template).validate_choices(choices)
    except ValidationError as error:
        problems += [f"{row.where}, field choices: {message}" for message in error.messages]
    for label, value in [("plot", row.plot), *((f"choice {c.order} plot", c.plot) for c in row.choices)]:
        try:
            spec_from_json(value)
        except ParameterError as error:
            problems.append(f"{row.where}, field {label}: {error}")
    return problems

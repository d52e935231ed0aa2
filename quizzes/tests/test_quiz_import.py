"""Quiz import: a lossless JSON round trip, GIFT round trip, and rejected files that change nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes import exporting, importing
from quizzes.models import Choice, Misconception, Question, Quiz
from studysite.exchange import ImportRejected
from studysite.models import NoteSection, StudySet

from .makers import make_quiz

pytestmark = pytest.mark.django_db


def content() -> dict:
    """Quiz content as a comparable structure, without database ids."""
    return {
        "quizzes": sorted(
            Quiz.objects.values_list(
                "slug",
                "title",
                "description",
                "shuffle_questions",
                "shuffle_choices",
                "pass_mark",
                "published",
            )
        ),
        "questions": sorted(
            (
                q.guid,
                q.quiz.slug,
                q.order,
                q.text,
                q.explanation,
                json.dumps(q.plot, sort_keys=True),
                json.dumps(q.template, sort_keys=True),
                q.notes_section and q.notes_section.anchor,
            )
            for q in Question.objects.select_related("quiz", "notes_section")
        ),
        "choices": sorted(
            (
                c.question.guid,
                c.order,
                c.text,
                c.is_correct,
                c.feedback,
                json.dumps(c.plot, sort_keys=True),
                c.misconception and c.misconception.slug,
            )
            for c in Choice.objects.select_related("question", "misconception")
        ),
        "misconceptions": sorted(
            (m.slug, m.statement, m.whatif, m.notes_section and m.notes_section.anchor)
            for m in Misconception.objects.filter(slug__in=referenced_misconceptions()).select_related(
                "notes_section"
            )
        ),
        "sections": sorted(NoteSection.objects.values_list("anchor", "order", "title", "body")),
    }


def referenced_misconceptions() -> set[str]:
    """The misconceptions the quizzes' choices and templates point to: what their files carry."""
    named = set(Choice.objects.exclude(misconception=None).values_list("misconception__slug", flat=True))
    for template in Question.objects.filter(template__has_key="misconceptions").values_list(
        "template", flat=True
    ):
        named |= set(((template or {}).get("misconceptions") or {}).values())
    return named


@pytest.mark.usefixtures("seed")
def test_json_round_trip_into_an_empty_database_is_identical() -> None:
    """Both seed quizzes, the second's questions all templates, which JSON keeps exactly."""
    files = [json.dumps(exporting.export_json(quiz)).encode() for quiz in Quiz.objects.order_by("pk")]
    before = content()
    StudySet.objects.all().delete()
    Quiz.objects.all().delete()
    Misconception.objects.all().delete()
    assert not Question.objects.exists()
    created = [importing.import_quiz(file, fmt="json").created for file in files]
    assert created == [22, 9]
    assert content() == before


@pytest.mark.usefixtures("seed")
def test_gift_round_trip_keeps_texts_choices_and_feedback_and_reimport_updates() -> None:
    source = Quiz.objects.get(slug="rnn-gradients-bptt")
    gift = exporting.export_gift(source).encode()
    target = make_quiz(questions=0)
    assert importing.import_quiz(gift, fmt="gift", quiz=target).created == 22
    assert importing.import_quiz(gift, fmt="gift", quiz=target).updated == 22
    assert target.questions.count() == 22
    for original, copy in zip(
        source.questions.order_by("order"), target.questions.order_by("order"), strict=True
    ):
        assert (copy.text, copy.explanation) == (original.text, original.explanation)
        # GIFT has no feedback per matching pair: Moodle's matching questions have none.
        keep = ("order", "text", "is_correct") + (() if original.kind == "matching" else ("feedback",))
        assert list(copy.choices.values_list(*keep)) == list(original.choices.values_list(*keep))
        assert copy.kind == original.kind


@pytest.mark.parametrize(
    ("gift", "problem"),
    [
        ("::Q1:: What? {=yes ~no\n", 'line 1, question "Q1": unbalanced braces'),
        ("::Q1:: What? {=yes} extra }", 'line 1, question "Q1": unbalanced braces'),
        (
            "::Q1:: What? {~a ~b}",
            'line 1, question "Q1", field choices: A single-answer question needs exactly one correct',
        ),
        (
            "::Q1:: What? {=a =b ~c}",
            "exactly one correct choice; 2 are marked correct",
        ),  # {=a =b}: short answer
        ("::Q1:: What? {~}", 'line 1, question "Q1"'),
        ("::Q1:: Fine {=a ~b}\n\n::Q2:: Broken {=a", 'line 3, question "Q2": unbalanced braces'),
    ],
)
def test_malformed_gift_is_rejected_and_changes_nothing(gift, problem) -> None:
    quiz = make_quiz(questions=1)
    before = content()
    with pytest.raises(ImportRejected) as error:
        importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    assert any(problem in p for p in error.value.problems), error.value.problems
    assert content() == before


def test_gift_escapes_are_read_back() -> None:
    quiz = make_quiz(questions=0)
    gift = (
        "::E1::[markdown]Is $\\\\{a\\\\}$ \\= 1\\: really? "
        "{=Yes\\#1#Because \\{b\\}.\n~No#Not so. ####General \\~ note}"
    )
    importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    question = quiz.questions.get()
    assert question.text == "Is $\\{a\\}$ = 1: really?"
    assert question.explanation == "General ~ note"
    assert list(question.choices.values_list("text", "is_correct", "feedback")) == [
        ("Yes#1", True, "Because {b}."),
        ("No", False, "Not so."),
    ]


def test_gift_needs_a_target_quiz_and_json_a_valid_shape() -> None:
    with pytest.raises(ImportRejected, match="choose the quiz"):
        importing.import_quiz(b"::Q:: x {=a ~b}", fmt="gift")
    with pytest.raises(ImportRejected, match="not a StudySite quiz"):
        importing.import_quiz(b'{"format": "studysite-deck"}', fmt="json")


@pytest.mark.usefixtures("seed")
def test_command_line_round_trip(tmp_path) -> None:
    path = tmp_path / "quiz.gift.txt"
    call_command("export_quiz", "rnn-gradients-bptt", format="gift", output=str(path), stdout=io.StringIO())
    target = make_quiz(questions=0)
    call_command("import_quiz", str(path), quiz=target.slug, stdout=io.StringIO())
    assert target.questions.count() == 22
    bad = tmp_path / "bad.gift"
    bad.write_text("::Q:: broken {=a")
    with pytest.raises(CommandError, match="unbalanced braces"):
        call_command("import_quiz", str(bad), quiz=target.slug)


REAL_GIFT = """// question: 1 name: Moodle's price
// a comment that earlier versions did not count
$CATEGORY: $course$/Imported

::Price::Moodle costs {~lots of money =nothing ~a small amount} to download.

// unnamed, with format markers and no feedback at all
[html]Which <b>radius</b> decides? {
  =[html]the <i>spectral</i> radius
  ~[markdown]the **largest** weight
}

::Broken::What is missing? {=this
"""


def test_real_gift_keeps_text_after_the_answers_strips_markers_and_counts_comment_lines() -> None:
    quiz = make_quiz(questions=0)
    gift = REAL_GIFT.rsplit("::Broken::", 1)[0]
    result = importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    assert result.created == 2
    price, radius = quiz.questions.order_by("order")
    assert price.text == "Moodle costs _____ to download."
    assert price.choices.get(is_correct=True).text == "nothing"
    assert radius.text == "Which radius decides?"
    assert list(radius.choices.values_list("text", "feedback")) == [
        ("the spectral radius", ""),
        ("the **largest** weight", ""),
    ]
    assert radius.explanation == ""


def test_every_gift_problem_is_reported_at_its_true_line_in_one_pass() -> None:
    quiz = make_quiz(questions=0)
    gift = REAL_GIFT.replace("=nothing", "~nothing")
    with pytest.raises(ImportRejected) as rejected:
        importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    assert rejected.value.problems == [
        'line 13, question "Broken": unbalanced braces; a question needs exactly one { … } answer list',
        'line 5, question "Price", field choices: A single-answer question needs exactly one correct choice; '
        "0 are marked correct.",
    ]
    assert not quiz.questions.exists()


def test_admin_lists_questions_without_an_explanation(admin_client) -> None:
    quiz = make_quiz(questions=1)
    importing.import_quiz(b"::Bare::A question with no feedback? {=yes ~no}", fmt="gift", quiz=quiz)
    url = reverse("admin:quizzes_question_changelist")
    missing = admin_client.get(url, {"explanation": "missing"}).content.decode()
    assert "A question with no feedback?" in missing
    assert "Question 1?" not in missing
    assert "Question 1?" in admin_client.get(url, {"explanation": "written"}).content.decode()

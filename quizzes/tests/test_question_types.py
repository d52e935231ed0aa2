"""Question types through the learner's pages: single choice, true/false and multiple response.

Grading follows Moodle: a multiple-response question adds the weights of the ticked choices and floors
the total at 0, or grades all or nothing; partial credit sums into the attempt's score.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client

from quizzes import grading, importing
from quizzes.correlation import MIN_ATTEMPTS
from quizzes.exporting import export_gift, export_json, export_moodle_xml
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from quizzes.qtypes import TYPES, Response
from quizzes.statistics import question_stats

from .makers import HTMX, question_url, start

pytestmark = pytest.mark.django_db


def multiple_response(*, weights: list[float | None], correct: list[bool], **options) -> Question:
    quiz = Quiz.objects.create(title="Mitigations", slug="mitigations", shuffle_choices=False)
    question = Question.objects.create(
        quiz=quiz, order=1, kind="multiple", options=options, text="Which mitigate exploding gradients?"
    )
    for order, (weight, right) in enumerate(zip(weights, correct, strict=True), start=1):
        Choice.objects.create(
            question=question, order=order, text=f"Option {order}", is_correct=right, weight=weight,
            feedback=f"About option {order}.",
        )  # fmt: skip
    return question


def tokens(attempt: Attempt, question: Question, orders: list[int]) -> list[str]:
    return [attempt.choice_token(question.choices.get(order=order)) for order in orders]


def tick(client: Client, question: Question, orders: list[int], **headers) -> tuple[Attempt, object]:
    attempt = start(client, question.quiz)
    response = client.post(
        question_url(attempt, question.pk), {"choice": tokens(attempt, question, orders)}, headers=headers
    )
    return attempt, response


@pytest.mark.parametrize(
    ("orders", "credit"),
    [([1, 2], 1.0), ([1], 0.5), ([1, 3], 0.0), ([3], 0.0), ([1, 2, 3], 0.5), ([1, 2, 3, 4], 0.0)],
)
def test_multiple_response_adds_the_ticked_weights_and_floors_at_zero(orders, credit) -> None:
    question = multiple_response(weights=[50, 50, -50, -100], correct=[True, True, False, False])
    attempt, response = tick(Client(), question, orders)
    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt)
    assert answer.credit == pytest.approx(credit)
    assert answer.is_correct == (credit == 1.0)
    assert sorted(answer.picks.values_list("order", flat=True)) == orders
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(credit)


def test_without_weights_the_right_choices_share_the_mark_and_wrong_ones_cost_as_much() -> None:
    question = multiple_response(weights=[None] * 4, correct=[True, True, True, False])
    for orders, credit in [([1], 1 / 3), ([1, 2, 3], 1.0), ([1, 2, 3, 4], 2 / 3), ([4], 0.0)]:
        attempt, _ = tick(Client(), question, orders)
        assert Answer.objects.get(attempt=attempt).credit == pytest.approx(credit), orders


def test_all_or_nothing_gives_credit_only_for_exactly_the_right_choices() -> None:
    question = multiple_response(weights=[None] * 3, correct=[True, True, False], all_or_nothing=True)
    for orders, credit in [([1, 2], 1.0), ([1], 0.0), ([1, 2, 3], 0.0)]:
        attempt, _ = tick(Client(), question, orders)
        assert Answer.objects.get(attempt=attempt).credit == credit, orders


def test_the_feedback_says_partly_right_and_names_each_ticked_choice() -> None:
    question = multiple_response(weights=[50, 50, -50, -100], correct=[True, True, False, False])
    _attempt, response = tick(Client(), question, [1, 3, 2], **HTMX)
    html = response.content.decode()
    assert "◐ Partly right: 50% of the mark" in html
    assert 'class="feedback is-partial"' in html  # neither the right colour nor the wrong one
    assert "Why “Option 1” is right" in html
    assert "Why “Option 3” is wrong" in html
    assert "+50%" in html
    assert "−50%" in html  # what ticking option 3 cost


def test_the_results_show_each_questions_credit_and_the_partial_score() -> None:
    question = multiple_response(weights=[50, 50, -50, -100], correct=[True, True, False, False])
    client = Client()
    attempt, _ = tick(client, question, [1])
    page = client.get(f"/attempts/{attempt.public_id}/results/").content.decode()
    assert "0.5 / 1" in page
    assert "◐ Partly right: 50% of the mark" in page


@pytest.mark.parametrize(
    ("posted", "message"), [([], "Tick at least one choice"), (["nope"], "does not belong")]
)
def test_a_response_that_cannot_be_graded_is_a_400_and_stores_nothing(posted, message) -> None:
    question = multiple_response(weights=[None] * 2, correct=[True, False])
    client = Client()
    attempt = start(client, question.quiz)
    response = client.post(question_url(attempt, question.pk), {"choice": posted}, headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_single_choice_question_takes_one_pick_only() -> None:
    quiz = Quiz.objects.create(title="One", slug="one")
    question = Question.objects.create(quiz=quiz, order=1, text="Pick one")
    for order in (1, 2):
        Choice.objects.create(question=question, order=order, text=f"C{order}", is_correct=order == 1)
    client = Client()
    attempt = start(client, quiz)
    response = client.post(question_url(attempt, question.pk), {"choice": tokens(attempt, question, [1, 2])})
    assert response.status_code == 400
    assert "Pick only one choice." in response.content.decode()


def test_the_question_page_draws_checkboxes_for_multiple_response_and_hides_the_key() -> None:
    question = multiple_response(weights=[50, 50, -50, -100], correct=[True, True, False, False])
    client = Client()
    attempt = start(client, question.quiz)
    html = client.get(question_url(attempt, question.pk)).content.decode()
    assert html.count('type="checkbox" name="choice"') == 4
    assert "Tick every choice that is right." in html
    for leak in ("weight", "is_correct", "%", "correct"):  # tokens are hex: digits prove nothing
        assert leak not in html.split("<form", 1)[1].split("</form>")[0], leak


@pytest.mark.parametrize(
    ("kind", "texts", "weights", "correct", "message"),
    [
        ("truefalse", ["True", "Maybe"], [None, None], [True, False], '"True" and "False"'),
        ("truefalse", ["True", "False"], [None, None], [True, True], "exactly one correct"),
        ("multiple", ["a", "b"], [None, None], [False, False], "at least one choice correct"),
        ("multiple", ["a", "b"], [60, None], [True, False], "every choice a weight, or none"),
        ("multiple", ["a", "b", "c"], [60, 30, 0], [True, True, False], "add up to 90%, not 100%"),
        ("multiple", ["a", "b"], [100, 10], [True, False], "a wrong one 0 or less"),
        ("single", ["a", "b"], [100, None], [True, False], "leave every weight empty"),
    ],
)
def test_each_type_refuses_choices_it_could_not_grade(kind, texts, weights, correct, message) -> None:
    choices = [
        Choice(order=n, text=text, weight=weight, is_correct=right)
        for n, (text, weight, right) in enumerate(zip(texts, weights, correct, strict=True), start=1)
    ]
    with pytest.raises(ValidationError, match=message):
        Question(kind=kind).validate_choices(choices)


def test_true_false_is_graded_with_feedback_for_each_value() -> None:
    quiz = Quiz.objects.create(title="TF", slug="tf", shuffle_choices=False)
    question = Question.objects.create(
        quiz=quiz, order=1, kind="truefalse", text="Is W_ax free of vanishing?"
    )
    Choice.objects.create(question=question, order=1, text="True", feedback="No: it is multiplied too.")
    Choice.objects.create(question=question, order=2, text="False", is_correct=True, feedback="Right.")
    client = Client()
    attempt = start(client, quiz)
    html = client.post(
        question_url(attempt, question.pk), {"choice": tokens(attempt, question, [1])}, headers=HTMX
    ).content.decode()
    assert "✗ Not quite" in html
    assert "No: it is multiplied too." in html
    assert "Right." in html  # the correct value's feedback, under "Why the correct answer is right"


def test_json_keeps_the_type_its_settings_and_weights_through_a_round_trip() -> None:
    question = multiple_response(weights=[70, 30, -25], correct=[True, True, False], all_or_nothing=True)
    exported = export_json(question.quiz)
    Question.objects.all().delete()
    importing.import_quiz(json.dumps(exported).encode(), fmt="json", quiz=question.quiz)
    again = Question.objects.get()
    assert again.kind == "multiple"
    assert again.options == {"all_or_nothing": True}
    assert list(again.choices.order_by("order").values_list("weight", flat=True)) == [70, 30, -25]
    assert export_json(again.quiz) == exported


def test_an_import_names_an_unknown_type_and_a_question_its_type_cannot_grade() -> None:
    quiz = Quiz.objects.create(title="Q", slug="q")
    data = export_json(quiz) | {
        "questions": [
            {"text": "A", "kind": "essay", "choices": []},
            {"text": "B", "kind": "multiple", "choices": [{"text": "x"}, {"text": "y"}]},
        ]
    }
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_quiz(json.dumps(data).encode(), fmt="json", quiz=quiz)
    problems = " ".join(rejected.value.problems)
    assert (
        "question 1, field kind: essay is not a question type; the types are truefalse, numerical" in problems
    )
    assert "question 2, field choices: Mark at least one choice correct." in problems
    assert not Question.objects.exists()


def test_item_analysis_counts_every_tick_and_its_facility_is_the_mean_credit() -> None:
    question = multiple_response(weights=[50, 50, -50, -100], correct=[True, True, False, False])
    for orders in ([1, 2], [1], [3]):
        tick(Client(), question, orders)
    (stats,) = question_stats([question])
    assert stats.answers == 3
    assert stats.facility_percent == pytest.approx(50)  # (1 + 0.5 + 0) / 3
    assert [c.picks for c in stats.choices] == [2, 1, 1, 0]


def test_every_registered_type_names_templates_that_exist() -> None:
    from django.template.loader import get_template

    for kind in TYPES.values():
        for name in (kind.input_template, kind.review_template, kind.feedback_template):
            get_template(name)


MIXED_GIFT = """// Types as Moodle's GIFT documentation writes them.
$CATEGORY: $course$/RNN

::TF1::The input weights' gradient escapes vanishing.
{F#No: it carries the same product.#Right: the same product.}

::TF2::[markdown]Clipping keeps the gradient's direction.{TRUE}

::MR1::Which mitigate exploding gradients?{
  ~%50%Norm clipping#Bounds every step.
  ~%50%An LSTM's cell path#Its forget gate sets the product.
  ~%-100%A larger learning rate#Makes each step larger still.
  #### Clipping bounds the step; gating changes the product.
}

::SC1::Which algorithm computes RNN gradients?{=BPTT#Right. ~RTRL#Also exact, but costly.}
"""


def test_gift_reads_true_false_weighted_multiple_response_and_single_choice() -> None:
    quiz = Quiz.objects.create(title="Mixed", slug="mixed", shuffle_choices=False)
    importing.import_quiz(MIXED_GIFT.encode(), fmt="gift", quiz=quiz)
    tf1, tf2, mr1, sc1 = quiz.questions.order_by("order")
    assert [q.kind for q in (tf1, tf2, mr1, sc1)] == ["truefalse", "truefalse", "multiple", "single"]
    true, false = tf1.choices.order_by("order")
    assert (true.text, true.is_correct, true.feedback) == ("True", False, "No: it carries the same product.")
    assert (false.text, false.is_correct, false.feedback) == ("False", True, "Right: the same product.")
    assert tf2.choices.get(is_correct=True).text == "True"
    weights = list(mr1.choices.order_by("order").values_list("weight", "is_correct"))
    assert weights == [(50, True), (50, True), (-100, False)]
    assert mr1.explanation == "Clipping bounds the step; gating changes the product."
    assert sc1.choices.get(is_correct=True).feedback == "Right."


def test_gift_round_trips_every_type_byte_for_byte() -> None:
    source = Quiz.objects.create(title="Mixed", slug="mixed", shuffle_choices=False)
    importing.import_quiz(MIXED_GIFT.encode(), fmt="gift", quiz=source)
    first = export_gift(source)
    copy = Quiz.objects.create(title="Mixed", slug="copy", shuffle_choices=False)
    importing.import_quiz(first.encode(), fmt="gift", quiz=copy)
    assert export_gift(copy) == first
    assert "\tFALSE#No\\: it carries the same product.#Right\\: the same product.\n" in first
    assert "~%50%Norm clipping#Bounds every step." in first


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("::X::Q{~%50%a ~b}", "give every answer a %weight%, or none"),
        ("::X::Q{T#a#b#c}", "at most two feedbacks"),
        ("::X::Q{text =a ~b}", "text before the first answer"),
        ("::X::Q{~%50%a ~%30%b ~%-20%c}", "add up to 80%, not 100%"),
    ],
)
def test_gift_names_the_question_and_what_is_wrong_with_its_answers(block, message) -> None:
    quiz = Quiz.objects.create(title="Bad", slug="bad")
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_quiz(block.encode(), fmt="gift", quiz=quiz)
    problems = " ".join(rejected.value.problems)
    assert 'line 1, question "X"' in problems
    assert message in problems


def test_moodle_xml_writes_each_type_as_moodle_names_it() -> None:
    quiz = Quiz.objects.create(title="Mixed", slug="mixed", shuffle_choices=False)
    importing.import_quiz(MIXED_GIFT.encode(), fmt="gift", quiz=quiz)
    root = ET.fromstring(export_moodle_xml(quiz))
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    assert [q.get("type") for q in questions] == ["truefalse", "truefalse", "multichoice", "multichoice"]
    tf = questions[0]
    assert [(a.findtext("text"), a.get("fraction")) for a in tf.findall("answer")] == [
        ("true", "0"),
        ("false", "100"),
    ]
    multiple = questions[2]
    assert multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "50", "-100"]
    assert questions[3].findtext("single") == "true"


def typed_question(kind: str, answers: list[tuple[str, float | None, float | None]], **options) -> Question:
    """A numerical or short-answer question; each answer is (text, weight, tolerance)."""
    quiz = Quiz.objects.create(title=kind, slug=kind.lower())
    question = Question.objects.create(
        quiz=quiz,
        order=1,
        kind=kind,
        text="What is left?",
        options={"no_match_feedback": "Work it out.", **options},
    )
    for order, (text, weight, tolerance) in enumerate(answers, start=1):
        Choice.objects.create(
            question=question, order=order, text=text, weight=weight, tolerance=tolerance,
            is_correct=weight is None, feedback=f"About {text}.",
        )  # fmt: skip
    return question


def type_in(question: Question, text: str) -> tuple[Answer | None, object]:
    client = Client()
    attempt = start(client, question.quiz)
    response = client.post(question_url(attempt, question.pk), {"response": text}, headers=HTMX)
    return Answer.objects.filter(attempt=attempt).first(), response


@pytest.mark.parametrize(
    ("typed", "credit"),
    [
        ("2.66e-5", 1.0), ("2.66E-5", 1.0), ("0.0000266", 1.0), ("2.66×10^-5", 1.0), ("2.66·10⁻⁵", 1.0),
        ("+2.65e-5", 1.0), ("2.7e-5", 0.5), ("−2.66e-5", 0.0), ("1e-5", 0.0),
    ],
)  # fmt: skip
def test_numerical_accepts_every_way_of_writing_a_number_within_each_tolerance(typed, credit) -> None:
    question = typed_question("numerical", [("2.656e-5", None, 2.66e-7), ("2.656e-5", 50, 1e-6)])
    answer, response = type_in(question, typed)
    assert response.status_code == 200
    assert answer.credit == credit
    assert answer.response_text == typed


@pytest.mark.parametrize("typed", ["about 3", "3 apples", "1/2"])
def test_a_numerical_response_that_is_not_a_number_is_said_so_and_not_graded(typed) -> None:
    question = typed_question("numerical", [("3", None, 0.5)])
    answer, response = type_in(question, typed)
    assert response.status_code == 400
    assert f"“{typed}” is not a number" in response.content.decode()
    assert answer is None


@pytest.mark.parametrize(
    ("typed", "credit", "options"),
    [
        ("BPTT", 1.0, {}), ("  bptt ", 1.0, {}), ("backpropagation   through time", 1.0, {}),
        ("truncated BPTT", 0.0, {}), ("BPT", 0.0, {}), ("backprop", 0.5, {}), ("backpropagation", 0.5, {}),
        ("bptt", 0.0, {"case_sensitive": True}), ("BPTT", 1.0, {"case_sensitive": True}),
        ("re\u0301sume\u0301", 1.0, {}), ("resume", 0.0, {}), ("resume", 1.0, {"accent_insensitive": True}),
    ],
)  # fmt: skip
def test_short_answer_matches_whole_normalised_responses_with_wildcards(typed, credit, options) -> None:
    answers = [("BPTT", None, None), ("backpropagation through time", None, None), ("backprop*", 50, None)]
    question = typed_question("shortanswer", [*answers, ("résumé", None, None)], **options)
    answer, _ = type_in(question, typed)
    assert answer.credit == credit


def test_a_typed_response_matching_nothing_gets_the_no_match_feedback_and_the_answers() -> None:
    question = typed_question("shortanswer", [("BPTT", None, None)])
    _answer, response = type_in(question, "RTRL")
    html = response.content.decode()
    assert "✗ Not quite" in html
    assert "Work it out." in html
    assert "Accepted answers:" in html
    assert "BPTT" in html


def test_typed_types_refuse_answers_they_could_not_grade() -> None:
    with pytest.raises(ValidationError, match="not a number"):
        Question(kind="numerical").validate_choices([Choice(order=1, text="three", is_correct=True)])
    with pytest.raises(ValidationError, match="at least one answer full credit"):
        Question(kind="shortanswer").validate_choices([Choice(order=1, text="BPTT", weight=50)])
    with pytest.raises(ValidationError, match="besides"):
        Question(kind="shortanswer").validate_choices([Choice(order=1, text="**", is_correct=True)])


TYPED_GIFT = """::N1::With ρ = 0.9, what fraction is left after 100 steps?{#2.656e-5:2.66e-7}

::N2::A number from 1 to 5.{#1..5}

::N3::What year?{#=1822:0#Right. =%50%1822:2#Close.}

::S1::The algorithm that computes RNN gradients.{=BPTT =backpropagation through time =%50%backprop*#Nearly.}
"""


def test_gift_reads_numerical_tolerances_ranges_credits_and_short_answers() -> None:
    quiz = Quiz.objects.create(title="Typed", slug="typed")
    importing.import_quiz(TYPED_GIFT.encode(), fmt="gift", quiz=quiz)
    n1, n2, n3, s1 = quiz.questions.order_by("order")
    assert [q.kind for q in (n1, n2, n3, s1)] == ["numerical"] * 3 + ["shortanswer"]
    assert list(n1.choices.values_list("text", "tolerance", "is_correct")) == [("2.656e-5", 2.66e-7, True)]
    assert list(n2.choices.values_list("text", "tolerance")) == [("3", 2.0)]
    assert list(n3.choices.order_by("order").values_list("text", "tolerance", "weight", "feedback")) == [
        ("1822", 0.0, None, "Right."),
        ("1822", 2.0, 50.0, "Close."),
    ]
    assert list(s1.choices.order_by("order").values_list("text", "weight")) == [
        ("BPTT", None), ("backpropagation through time", None), ("backprop*", 50.0)
    ]  # fmt: skip
    again = Quiz.objects.create(title="Typed", slug="again")
    importing.import_quiz(export_gift(quiz).encode(), fmt="gift", quiz=again)
    assert export_gift(again) == export_gift(quiz)


def test_item_analysis_lists_the_commonest_wrong_typed_responses() -> None:
    question = typed_question("shortanswer", [("BPTT", None, None)])
    for typed in ("RTRL", "rtrl", "RTRL", "BPTT", "finite differences"):
        type_in(question, typed)
    (stats,) = question_stats([question])
    assert stats.wrong_responses == [("RTRL", 2), ("finite differences", 1), ("rtrl", 1)]
    assert stats.facility_percent == pytest.approx(20)


MATCHES = [("Clipping", "Exploding gradients"), ("LSTM gating", "Vanishing gradients")]


def matching_question() -> Question:
    quiz = Quiz.objects.create(title="Match", slug="match")
    question = Question.objects.create(quiz=quiz, order=1, kind="matching", text="Pair each technique")
    for order, (item, answer) in enumerate([*MATCHES, ("", "Overfitting")], start=1):
        Choice.objects.create(
            question=question, order=order, text=item, match_text=answer, feedback=f"On {item}."
        )
    return question


def answer_tokens(client: Client, attempt: Attempt, question: Question) -> tuple[dict, dict]:
    """The page's item selects by item text, and its answer options by answer text."""
    html = client.get(question_url(attempt, question.pk)).content.decode()
    items = dict(
        (label.strip(), name)
        for name, label in re.findall(r'<label for="(match-[0-9a-f]+)">([^<]*)</label>', html)
    )
    answers = {
        text: token for token, text in re.findall(r'<option value="([0-9a-f]+)">([^<]+)</option>', html)
    }
    return items, answers


@pytest.mark.parametrize(
    ("given", "credit"),
    [
        ({"Clipping": "Exploding gradients", "LSTM gating": "Vanishing gradients"}, 1.0),
        ({"Clipping": "Exploding gradients", "LSTM gating": "Overfitting"}, 0.5),
        ({"Clipping": "Vanishing gradients", "LSTM gating": "Exploding gradients"}, 0.0),
    ],
)
def test_matching_credits_each_pair_and_offers_the_distractor_too(given, credit) -> None:
    question = matching_question()
    client = Client()
    attempt = start(client, question.quiz)
    items, answers = answer_tokens(client, attempt, question)
    assert sorted(items) == ["Clipping", "LSTM gating"]
    assert sorted(answers) == ["Exploding gradients", "Overfitting", "Vanishing gradients"]
    data = {items[item]: answers[answer] for item, answer in given.items()}
    response = client.post(question_url(attempt, question.pk), data, headers=HTMX)
    assert response.status_code == 200
    assert Answer.objects.get(attempt=attempt).credit == credit
    html = response.content.decode()
    assert "Right answer" in html
    wrongly_paired = [item for item, answer in given.items() if answer != dict(MATCHES)[item]]
    for item in wrongly_paired:  # the feedback written for each item paired wrongly
        assert f"Why “{item}” matches “{dict(MATCHES)[item]}”" in html


def test_matching_needs_an_answer_for_every_item() -> None:
    question = matching_question()
    client = Client()
    attempt = start(client, question.quiz)
    items, answers = answer_tokens(client, attempt, question)
    response = client.post(question_url(attempt, question.pk), {items["Clipping"]: answers["Overfitting"]})
    assert response.status_code == 400
    assert "Pick an answer for every item" in response.content.decode()


def test_the_answers_are_shuffled_per_attempt_and_the_page_says_nothing_of_the_pairs() -> None:
    question = matching_question()
    orders = set()
    for _ in range(8):
        client = Client()
        attempt = start(client, question.quiz)
        _, answers = answer_tokens(client, attempt, question)
        orders.add(tuple(answers))
    assert len(orders) > 1
    html = Client().get(question.quiz.get_absolute_url()).content.decode()
    assert "Exploding gradients" not in html


def test_gift_matching_round_trips_with_its_distractor() -> None:
    quiz = Quiz.objects.create(title="M", slug="m")
    gift = "::M1::Pair them.{=Clipping -> Exploding =LSTM gating -> Vanishing = -> Overfitting}"
    importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    question = quiz.questions.get()
    assert question.kind == "matching"
    assert list(question.choices.order_by("order").values_list("text", "match_text")) == [
        ("Clipping", "Exploding"), ("LSTM gating", "Vanishing"), ("", "Overfitting")
    ]  # fmt: skip
    again = Quiz.objects.create(title="M", slug="again")
    importing.import_quiz(export_gift(quiz).encode(), fmt="gift", quiz=again)
    assert export_gift(again) == export_gift(quiz)
    root = ET.fromstring(export_moodle_xml(quiz))
    subquestions = root.findall("question[@type='matching']/subquestion")
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in subquestions][2] == ("", "Overfitting")


def test_essays_and_descriptions_are_skipped_by_name_and_line_and_the_rest_imported(capsys) -> None:
    from django.core.management import call_command

    quiz = Quiz.objects.create(title="Bank", slug="bank")
    gift = "::E1::Explain BPTT.{}\n\n::D1::Read the notes first.\n\n::T1::BPTT is exact.{T}\n"
    path = Path(tempfile.mkdtemp()) / "bank.gift"
    path.write_text(gift)
    call_command("import_quiz", str(path), quiz="bank")
    out = capsys.readouterr().out
    assert 'line 1, question "E1": skipped: an essay ({}) has no automatic grading' in out
    assert 'line 3, question "D1": skipped: a description (no answers) has nothing to grade' in out
    assert "1 new questions, 0 updated, 2 skipped." in out
    assert list(quiz.questions.values_list("kind", flat=True)) == ["truefalse"]


def test_discrimination_is_the_correlation_of_a_question_with_the_rest_once_enough_attempts_finish() -> None:
    quiz = Quiz.objects.create(title="D", slug="d", shuffle_choices=False)
    questions = []
    for order in (1, 2, 3):
        question = Question.objects.create(quiz=quiz, order=order, text=f"Q{order}")
        for c in (1, 2):
            Choice.objects.create(question=question, order=c, text=f"C{c}", is_correct=c == 1)
        questions.append(question)
    # Strong learners get Q1 and Q2 right; weak ones get both wrong; Q3 goes against the rest.
    patterns = [(1, 1, 0), (1, 1, 0), (1, 1, 1), (0, 0, 1), (0, 0, 1), (0, 1, 0)]
    for number, pattern in enumerate(patterns):
        if number == MIN_ATTEMPTS - 1:
            assert question_stats(questions)[0].discrimination is None  # too few finished yet
        attempt = grading.start_attempt(quiz=quiz, user=AnonymousUser())
        for question, right in zip(questions, pattern, strict=True):
            choice = question.choices.get(order=1 if right else 2)
            grading.submit_answer(attempt=attempt, question=question, response=Response((choice,)))
    first, _second, third = question_stats(questions)
    # Q1's credits (1,1,1,0,0,0) against the rest (1,1,2,1,1,1): r = 0.5 / √(1.5 · 5/6).
    assert first.discrimination == pytest.approx(100 * 0.5 / math.sqrt(1.5 * 5 / 6))
    assert third.discrimination < 0  # doing well on it goes with doing badly on the others


def test_a_dry_run_says_what_would_be_created_updated_skipped_or_rejected_and_writes_nothing(capsys) -> None:
    from django.core.management import CommandError, call_command

    quiz = Quiz.objects.create(title="Bank", slug="bank")
    importing.import_quiz(b"::T1::BPTT is exact.{T}", fmt="gift", quiz=quiz)
    path = Path(tempfile.mkdtemp()) / "bank.gift"
    path.write_text("::T1::BPTT is exact.{F}\n\n::N1::Two plus two?{#4}\n\n::E1::Explain.{}\n")
    call_command("import_quiz", str(path), quiz="bank", dry_run=True)
    out = capsys.readouterr().out
    assert 'line 1, question "T1": update question 1' in out
    assert 'line 3, question "N1": create' in out
    assert 'line 5, question "E1": skipped' in out
    assert (
        "Dry run, nothing written: the import into bank would make 1 new questions, 1 updated, 1 skipped"
        in out
    )
    assert quiz.questions.count() == 1
    assert quiz.questions.get().choices.get(is_correct=True).text == "True"  # still as it was
    path.write_text("::X::Broken {=a\n")
    with pytest.raises(CommandError, match='Rejected: nothing would be imported:\nline 1, question "X"'):
        call_command("import_quiz", str(path), quiz="bank", dry_run=True)


def test_two_gift_questions_with_one_name_are_both_imported_and_the_second_renamed() -> None:
    quiz = Quiz.objects.create(title="Twice", slug="twice")
    gift = "::Q::First.{T}\n\n::Q::Second.{F}\n"
    result = importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)
    assert result.created == 2
    assert result.warnings == [
        'lines 1 and 3: two questions are named "Q"; both are imported, the second as "Q (2)"'
    ]
    again = importing.import_quiz(gift.encode(), fmt="gift", quiz=quiz)  # a re-import finds each again
    assert (again.created, again.updated) == (0, 2)
    assert list(quiz.questions.order_by("order").values_list("text", flat=True)) == ["First.", "Second."]


MOODLE_XML = (Path(__file__).parent / "files" / "every-type.moodle.xml").read_text()


def test_moodle_xml_imports_every_type_and_skips_what_it_cannot_grade() -> None:
    quiz = Quiz.objects.create(title="Bank", slug="bank", shuffle_choices=False)
    result = importing.import_quiz(MOODLE_XML.encode(), fmt="xml", quiz=quiz)
    assert result.created == 5
    assert result.skipped == [
        'line 38, question "Explain": skipped: an essay has no automatic grading',
        'line 39, question "Formula": skipped: Moodle\'s calculated questions are not supported here',
    ]
    mitigations, w_ax, left, algorithm, pairs = quiz.questions.order_by("order")
    assert [q.kind for q in (mitigations, w_ax, left, algorithm, pairs)] == [
        "multiple", "truefalse", "numerical", "shortanswer", "matching"
    ]  # fmt: skip
    assert mitigations.text == "Which mitigate exploding gradients?"  # HTML read as its text
    assert list(mitigations.choices.values_list("weight", flat=True)) == [50, 50, -100]
    assert w_ax.choices.get(is_correct=True).text == "False"
    assert left.choices.get().tolerance == 2.66e-7
    assert list(algorithm.choices.values_list("text", "weight")) == [("BPTT", None), ("backprop*", 50.0)]
    assert pairs.choices.get(text="").match_text == "Overfitting"


def test_moodle_xml_round_trips_every_type_and_its_plot_byte_for_byte() -> None:
    quiz = Quiz.objects.create(title="Bank", slug="bank", shuffle_choices=False)
    importing.import_quiz(MOODLE_XML.encode(), fmt="xml", quiz=quiz)
    importing.import_quiz(MIXED_GIFT.encode(), fmt="gift", quiz=quiz)
    question = quiz.questions.get(kind="numerical")
    question.plot = {"experiment": "rho-power-law", "params": {"rho": 0.9, "T": 100}}
    question.save()
    first = export_moodle_xml(quiz)
    assert b"@@PLUGINFILE@@/plot-" in first
    copy = Quiz.objects.create(title="Bank", slug="copy", shuffle_choices=False)
    importing.import_quiz(first, fmt="xml", quiz=copy)
    assert copy.questions.get(kind="numerical").plot == question.plot
    assert export_moodle_xml(copy) == first


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<quiz><question type='multichoice'>", "not well-formed XML"),
        ('<!DOCTYPE quiz [<!ENTITY a "x">]><quiz/>', "declares a DTD or entities"),
        ("<questions/>", "holds a <quiz>, not a <questions>"),
        (
            "<quiz>\n<question type='truefalse'><name><text>T</text></name><answer fraction='100'>"
            "<text>maybe</text></answer></question></quiz>",
            'line 2, question "T": a true/false question has one answer "true" and one "false"',
        ),
    ],
)
def test_bad_moodle_xml_is_refused_with_a_clear_message(xml, message) -> None:
    quiz = Quiz.objects.create(title="Bad", slug="bad")
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_quiz(xml.encode(), fmt="xml", quiz=quiz)
    assert message in " ".join(rejected.value.problems)
    assert not quiz.questions.exists()


EVERY_TYPE_GIFT = (Path(__file__).parent / "files" / "every-type.gift").read_text()


def test_a_gift_file_mixing_every_type_imports_and_round_trips_byte_for_byte() -> None:
    quiz = Quiz.objects.create(title="Every type", slug="every-type", shuffle_choices=False)
    result = importing.import_quiz(EVERY_TYPE_GIFT.encode(), fmt="gift", quiz=quiz)
    assert result.skipped == ['line 35, question "Essay": skipped: an essay ({}) has no automatic grading']
    kinds = list(quiz.questions.order_by("order").values_list("kind", flat=True))
    assert kinds == [
        "single",
        "truefalse",
        "multiple",
        "numerical",
        "numerical",
        "shortanswer",
        "matching",
        "single",
    ]
    algorithm = quiz.questions.get(order=1)
    assert algorithm.text == "What computes the gradients of an RNN's loss?"
    assert algorithm.choices.get(order=1).feedback == "Right: BPTT."  # \: unescaped
    assert quiz.questions.get(order=4).text == "With rho = 0.9, what fraction is left after 100 steps?"
    assert quiz.questions.get(order=8).text == "Truncated BPTT keeps _____ steps of the backward pass."
    first = export_gift(quiz)
    copy = Quiz.objects.create(title="Every type", slug="copy", shuffle_choices=False)
    importing.import_quiz(first.encode(), fmt="gift", quiz=copy)
    assert export_gift(copy) == first
    xml = export_moodle_xml(quiz)
    from_xml = Quiz.objects.create(title="Every type", slug="from-xml", shuffle_choices=False)
    importing.import_quiz(xml, fmt="xml", quiz=from_xml)
    assert export_moodle_xml(from_xml) == xml


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_types_sample_responses_grade_as_they_say(kind, seed) -> None:
    question = Quiz.objects.get(slug="rnn-gradients-bptt").questions.filter(kind=kind).first()
    choices = sorted(question.choices.all(), key=lambda choice: choice.order)
    assert (
        question.type.grade(
            question, choices, question.type.sample_response(question, choices, right=True)
        ).credit
        == 1
    )
    assert (
        question.type.grade(
            question, choices, question.type.sample_response(question, choices, right=False)
        ).credit
        == 0
    )


def test_the_numerical_review_shows_each_answer_with_its_tolerance() -> None:
    question = typed_question("numerical", [("2.656e-5", None, 2.66e-7)])
    _answer, response = type_in(question, "1")
    assert "2.656e-5 ± 2.66e-07" in response.content.decode()


def test_reimporting_a_question_as_another_type_keeps_the_recorded_answer_and_score() -> None:
    """A re-import may change a question's type; what the learner was shown and scored stays."""
    quiz = Quiz.objects.create(title="Change", slug="change", shuffle_choices=False)
    importing.import_quiz(
        b"::Q::Which mitigate explosions?{=Clipping#Yes. ~Weight decay#No.}", fmt="gift", quiz=quiz
    )
    client = Client()
    attempt = start(client, quiz)
    question = quiz.questions.get()
    client.post(question_url(attempt, question.pk), {"choice": tokens(attempt, question, [1])})
    importing.import_quiz(
        b"::Q::Which mitigate explosions?{~%100%Clipping ~%-100%Weight decay}", fmt="gift", quiz=quiz
    )
    question.refresh_from_db()
    assert question.kind == "multiple"
    answer = Answer.objects.get(attempt=attempt)
    assert (answer.credit, answer.shown["kind"]) == (1.0, "single")
    attempt.refresh_from_db()
    assert attempt.score == 1.0
    page = client.get(f"/attempts/{attempt.public_id}/results/").content.decode()
    assert "1 / 1" in page
    assert "✓ Correct answer (yours)" in page

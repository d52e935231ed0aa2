"""Instructors' view after a scripted class of 30: prevalence, point-biserials and CBM calibration."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from quizzes import grading
from quizzes.misconception_stats import prevalence
from quizzes.models import Answer, Attempt, Choice, Misconception, Question, Quiz
from quizzes.qtypes import Response
from quizzes.snapshots import shown
from quizzes.statistics import point_biserials
from quizzes.variant_stats import variant_stats

pytestmark = pytest.mark.usefixtures("seed")
SEED_QUIZ = "rnn-gradients-bptt"


@pytest.fixture
def scripted_class() -> Quiz:
    """The issue's class of 30, with certainty-based marking: what the admin pages are checked after."""
    quiz = cbm_quiz()
    call_command("simulate_class", SEED_QUIZ, learners=30, verbosity=0)
    return quiz


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "pw"))
    return client


def cbm_quiz() -> Quiz:
    quiz = Quiz.objects.get(slug=SEED_QUIZ)
    quiz.certainty_marking = True
    quiz.save()
    return quiz


def test_a_scripted_class_finishes_its_attempts_the_same_way_every_time() -> None:
    quiz = cbm_quiz()
    call_command("simulate_class", SEED_QUIZ, learners=6, verbosity=0)
    attempts = Attempt.objects.filter(quiz=quiz)
    assert attempts.count() == 6
    assert all(attempt.is_finished for attempt in attempts)
    scores = sorted(attempts.values_list("score", flat=True))
    assert scores[0] < scores[-1]  # abilities spread
    with pytest.raises(CommandError, match="exist already"):
        call_command("simulate_class", SEED_QUIZ, learners=6, verbosity=0)
    call_command("simulate_class", SEED_QUIZ, learners=6, prefix="again", verbosity=0)
    assert right_answers("class-") == right_answers("again-")


def right_answers(prefix: str) -> list[list[bool]]:
    """Each learner's right and wrong answers, question by question: the script, whatever the shuffles."""
    answers = Answer.objects.filter(attempt__user__username__startswith=prefix)
    by_learner: dict[str, list[bool]] = {}
    for name, correct in answers.order_by("attempt__user__username", "question__order").values_list(
        "attempt__user__username", "is_correct"
    ):
        by_learner.setdefault(name.removeprefix(prefix), []).append(correct)
    return list(by_learner.values())


def test_the_point_biserial_is_the_correlation_of_a_pick_with_the_rest_score() -> None:
    call_command("simulate_class", SEED_QUIZ, learners=12, verbosity=0)
    question = Question.objects.get(quiz__slug=SEED_QUIZ, order=5)
    values = point_biserials([question.pk])
    for choice in question.choices.all():
        picks, rest = [], []
        for answer in Answer.objects.filter(question=question).select_related("attempt"):
            picks.append(float(answer.picks.filter(pk=choice.pk).exists()))
            rest.append(answer.attempt.score - answer.credit)
        if np.std(picks) > 0:
            assert values[choice.pk] == pytest.approx(np.corrcoef(picks, rest)[0, 1], abs=1e-12)
        else:
            assert values[choice.pk] is None  # nobody (or everybody) picked it: no correlation
    right = question.choices.get(is_correct=True)
    assert values[right.pk] > 0  # in this class the stronger learners pick the right answer


def test_admin_shows_prevalence_point_biserials_and_calibration_for_the_seed_quiz(
    scripted_class: Quiz, staff: Client
) -> None:
    belief = Misconception.objects.get(slug="larger-learning-rate-fixes-exploding")
    (row,) = prevalence(belief)
    assert row.quiz == scripted_class
    assert row.learners == 30
    pointing = {
        answer.attempt.user_id
        for answer in Answer.objects.filter(attempt__quiz=scripted_class).select_related("attempt")
        if any(b["slug"] == belief.slug for b in shown(answer).misconceptions)
    }
    assert row.pointed == len(pointing) > 0
    assert row.percent == pytest.approx(100 * len(pointing) / 30)
    assert 0 <= row.resolved <= row.pointed
    page = staff.get(f"/admin/quizzes/quiz/{scripted_class.pk}/change/").content.decode()
    assert page.count("point-biserial") >= 20
    assert "Certainty-based marking: calibration" in page
    assert "Average CBM mark" in page
    page = staff.get(f"/admin/quizzes/misconception/{belief.pk}/change/").content.decode()
    assert "<td>30</td>" in page
    assert f"{row.pointed} ({row.percent:.0f}%)" in page
    assert "What the simulation shows:" in page  # the what-if preview
    assert "Q5" in page  # the choices that point to it


def test_a_distractor_that_draws_strong_learners_is_flagged(staff: Client) -> None:
    quiz = Quiz.objects.get(slug=SEED_QUIZ)
    question = Question.objects.get(quiz=quiz, order=3)
    lure = Choice.objects.get(question=question, text__startswith="Step 5")
    for number in range(6):
        strong = number < 3
        attempt = grading.start_attempt(quiz=quiz, user=User.objects.create_user(f"l{number}"))
        for question_id in attempt.question_ids:
            asked = attempt.asked(Question.objects.get(pk=question_id))
            choices = attempt.ordered_choices(asked)
            if question_id == question.pk:
                response = Response(choices=(lure if strong else question.choices.get(is_correct=True),))
            else:
                response = asked.type.sample_response(asked, choices, right=strong)
            grading.submit_answer(attempt=attempt, question=asked, response=response)
    assert point_biserials([question.pk])[lure.pk] > 0.9
    page = staff.get(f"/admin/quizzes/question/{question.pk}/change/").content.decode()
    flagged = page.split("⚑ attracts strong learners")[0].rsplit("<li>", 1)[1]
    assert "Step 5" in flagged
    assert page.count("⚑ attracts strong learners") == 1


def test_a_templates_distractors_are_counted_by_their_rule_with_their_point_biserial(staff: Client) -> None:
    call_command("simulate_class", "rnn-gradients-practice", learners=8, verbosity=0)
    question = Quiz.objects.get(slug="rnn-gradients-practice").questions.get(order=2)  # ρᵏ as choices
    stats = variant_stats(question)
    wrong = Answer.objects.filter(question=question, is_correct=False).count()
    assert sum(rule.picks for rule in stats.by_rule) == wrong > 0
    assert {rule.rule for rule in stats.by_rule} == set(question.template["distractors"])
    assert all(rule.point_biserial is not None or rule.picks in (0, 8) for rule in stats.by_rule)
    page = staff.get(f"/admin/quizzes/question/{question.pk}/change/").content.decode()
    assert "Its distractors, by the wrong reasoning behind them" in page
    assert "kρ instead of ρᵏ" in page

"""Misconceptions: what wrong answers point to, the what-if beside the feedback, results and progress."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from flashcards.models import Card, Schedule
from quizzes.misconceptions import seen_beliefs
from quizzes.models import Answer, Choice, Misconception, Question, Quiz
from quizzes.snapshots import shown
from rnnsim.core.templates import Template
from rnnsim.core.whatifs import WHATIFS
from rnnsim.figures import resolve
from rnnsim.lab_store import referenced_specs

from .makers import question_url, sample_form, start

pytestmark = pytest.mark.usefixtures("seed")
SEED_QUIZ = "rnn-gradients-bptt"


def seed_question(order: int) -> Question:
    return Question.objects.get(quiz__slug=SEED_QUIZ, order=order)


def pick(client: Client, attempt, question: Question, text: str) -> Answer:
    """Answer a choice question with the choice whose text starts so."""
    (choice,) = [c for c in attempt.ordered_choices(question) if c.text.startswith(text)]
    client.post(question_url(attempt, question.pk), {"choice": [attempt.choice_token(choice)]})
    return Answer.objects.get(attempt=attempt, question=question)


def test_every_seed_distractor_points_to_one_of_at_least_twelve_misconceptions() -> None:
    wrong = Choice.objects.filter(question__quiz__slug=SEED_QUIZ, is_correct=False)
    untagged = [
        c for c in wrong.select_related("question") if c.misconception_id is None and not partly_right(c)
    ]
    assert untagged == []
    assert wrong.values("misconception").distinct().count() >= 12
    assert Misconception.objects.count() >= 12
    with_whatif = Misconception.objects.exclude(whatif="")
    assert set(with_whatif.values_list("whatif", flat=True)) == set(WHATIFS)
    assert all(m.notes_section_id for m in Misconception.objects.all())


def test_every_wrong_choice_a_seed_template_can_offer_points_to_a_misconception() -> None:
    for question in Question.objects.filter(template__has_key="choices"):
        template = Template.from_json(question.template)
        rules = set(template.distractors) or {f"outcome-{i}" for i in range(len(template.quantity.outcomes))}
        assert rules <= set(template.misconceptions), question
        assert Misconception.objects.filter(slug__in=template.misconceptions.values()).count() == len(
            set(template.misconceptions.values())
        )


def partly_right(choice: Choice) -> bool:
    """A numerical or typed answer worth part of the mark: close, not a wrong belief."""
    return (choice.weight or 0) > 0


def test_a_wrong_answer_shows_its_beliefs_what_if_beside_the_explanation(client: Client) -> None:
    question = seed_question(5)  # mitigating exploding gradients; explanation plot: clipping at η = 0.02
    attempt = start(client, SEED_QUIZ)
    answer = pick(client, attempt, question, "A larger learning rate")
    recorded = [c["misconception"] for c in answer.shown["choices"] if c["picked"]]
    assert recorded == [
        {
            "slug": "larger-learning-rate-fixes-exploding",
            "statement": "A larger learning rate fixes exploding gradients.",
            "whatif": "larger-learning-rate",
        }
    ]
    html = client.get(question_url(attempt, question.pk)).content.decode()
    section = html.split('class="whatif"')[1]
    assert "A larger learning rate fixes exploding gradients." in section
    assert "If that were so:" in section
    assert "at step 21;" in section  # the run's own numbers: η = 0.05 diverges before 0.02's step 30
    assert "until step 30" in section
    plots = re.findall(r'href="/lab/([\w-]+)/\?([^"]+)">Rerun', html)
    assert any(name == "clipping" and "learning_rate=0.05" in query for name, query in plots)  # the what-if
    assert any(
        name == "clipping" and "learning_rate=0.02" in query for name, query in plots
    )  # the explanation
    assert "Read the notes that correct it: Exploding gradients" in section


def test_a_right_answer_suggests_nothing(client: Client) -> None:
    question = seed_question(5)
    attempt = start(client, SEED_QUIZ)
    pick(client, attempt, question, "Gradient clipping")
    assert 'class="whatif"' not in client.get(question_url(attempt, question.pk)).content.decode()


def test_the_results_open_with_what_the_answers_suggest_with_plots_notes_and_cards(client: Client) -> None:
    learner = User.objects.create_user("ada", password="pw")
    client.force_login(learner)
    attempt = start(client, SEED_QUIZ)
    pick(client, attempt, seed_question(5), "A larger learning rate")
    pick(client, attempt, seed_question(7), "Gradient clipping")
    for question in attempt.quiz.questions.exclude(order__in=[5, 7]):
        client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=True))
    html = client.get(f"/attempts/{attempt.public_id}/results/").content.decode()
    top = html.split('id="suggestions"')[1].split("<h2>Review</h2>")[0]
    assert "Gradient clipping fixes vanishing gradients." in top
    assert "A larger learning rate fixes exploding gradients." in top
    assert top.count('class="whatif"') == 2
    assert top.count("<figure") == 2
    vanishing = Misconception.objects.get(slug="clipping-fixes-vanishing").notes_section
    cards = Card.objects.filter(notes_section=vanishing)
    assert cards.exists()
    assert "Its cards are due now" in top
    for card in cards[:5]:
        assert (
            Schedule.objects.get(user=learner, card=card).due
            <= Answer.objects.latest("answered_at").answered_at
        )


def test_a_misconception_is_resolved_by_a_later_right_answer_to_a_question_about_it(client: Client) -> None:
    learner = User.objects.create_user("bo", password="pw")
    client.force_login(learner)
    first = start(client, SEED_QUIZ)
    pick(client, first, seed_question(5), "A larger learning rate")
    pick(client, first, seed_question(7), "Gradient clipping")
    progress = client.get("/progress/").content.decode()
    assert "Misconceptions your answers suggested" in progress
    assert progress.count("Not resolved yet") == 2
    question = seed_question(20)  # ticking what stops an explosion: "A larger learning rate" is among them
    client.post(question_url(first, question.pk), sample_form(first, question, right=True))
    beliefs = {b.slug: b for b in seen_beliefs(Answer.objects.filter(attempt__user=learner))}
    assert beliefs["larger-learning-rate-fixes-exploding"].resolved
    assert not beliefs["clipping-fixes-vanishing"].resolved
    progress = client.get("/progress/").content.decode()
    assert progress.count("✓ Resolved") == 1


def test_editing_or_deleting_a_misconception_changes_no_recorded_answer(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    answer = pick(client, attempt, seed_question(5), "A larger learning rate")
    before = answer.shown
    belief = Misconception.objects.get(slug="larger-learning-rate-fixes-exploding")
    belief.statement = "Edited."
    belief.save()
    html = client.get(question_url(attempt, seed_question(5).pk)).content.decode()
    assert "A larger learning rate fixes exploding gradients." in html
    belief.delete()
    answer.refresh_from_db()
    assert answer.shown == before
    assert (
        "A larger learning rate fixes exploding gradients."
        in client.get(question_url(attempt, seed_question(5).pk)).content.decode()
    )


def test_a_template_rule_points_to_its_misconception_and_a_mispaired_item_to_its_own(client: Client) -> None:
    practice = Quiz.objects.get(slug="rnn-gradients-practice")
    question = practice.questions.get(order=2)  # choices of ρᵏ: k·ρ, ρ/k, 1/ρᵏ, ≈ 1
    attempt = start(client, practice)
    client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=False))
    answer = Answer.objects.get(attempt=attempt, question=question)
    (picked,) = [c for c in answer.shown["choices"] if c["picked"]]
    rules = practice.questions.get(order=2).template["misconceptions"]
    assert picked["misconception"]["slug"] in set(rules.values())
    matching = seed_question(21)
    other = Client()
    attempt = start(other, SEED_QUIZ)
    other.post(question_url(attempt, matching.pk), sample_form(attempt, matching, right=False))
    answer = Answer.objects.get(attempt=attempt, question=matching)
    slugs = {belief["slug"] for belief in shown(answer).misconceptions}
    assert slugs == {"clipping-fixes-vanishing", "lstms-cannot-explode", "truncation-fixes-gradients"}


def test_a_wrong_answer_brings_back_the_cards_of_its_misconceptions_section_too(client: Client) -> None:
    learner = User.objects.create_user("cy", password="pw")
    client.force_login(learner)
    attempt = start(client, SEED_QUIZ)
    question = seed_question(1)  # notes: RNN gradients; the belief's notes: what a gradient is
    answer = pick(client, attempt, question, "Finite differences")
    belief = Misconception.objects.get(slug="gradients-by-finite-differences")
    assert belief.notes_section_id != question.notes_section_id
    for section in (question.notes_section, belief.notes_section):
        due = Schedule.objects.filter(user=learner, card__notes_section=section, due__lte=answer.answered_at)
        assert due.count() == Card.objects.filter(notes_section=section).count() > 0


def test_render_plots_draws_every_what_if_ahead_and_the_lab_store_keeps_them() -> None:
    kept = {(spec.experiment, tuple(sorted(spec.params.items()))) for spec in referenced_specs().values()}
    for name in Misconception.objects.exclude(whatif="").values_list("whatif", flat=True):
        spec = resolve(WHATIFS[name].experiment, WHATIFS[name].params)
        assert (spec.experiment, tuple(sorted(spec.params.items()))) in kept, name


def test_a_typed_answer_a_named_wrong_reasoning_gives_is_told_why_and_points_to_its_belief(
    client: Client,
) -> None:
    practice = Quiz.objects.get(slug="rnn-gradients-practice")
    question = practice.questions.get(order=1)  # typed: the share left k steps back at ρ
    for _ in range(10):  # kρ may lie within 1% of ρᵏ for a rare draw: then another attempt
        learner = Client()
        attempt = start(learner, practice)
        variant = attempt.asked(question).variant
        rules = {choice.rule: choice for choice in variant.choices}
        if "k-times" in rules:
            break
    typed = rules["k-times"].value
    learner.post(question_url(attempt, question.pk), {"response": f"{typed:.6g}"})
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert not answer.is_correct
    assert [b["slug"] for b in shown(answer).misconceptions] == ["factors-add-up"]
    html = learner.get(question_url(attempt, question.pk)).content.decode()
    assert "each step *multiplies* the gradient" not in html  # rendered Markdown, not source
    assert "the factors compound, they do not add up" in html
    assert "Per-step factors add up over time" in html
    accepted = html.split("Accepted answers:")[1].split("</ul>")[0]
    assert accepted.count('<li class="choice') == 1  # only the key: the rules' answers earn nothing
    other = Client()
    attempt = start(other, practice)
    other.post(question_url(attempt, question.pk), {"response": "123456"})
    assert shown(Answer.objects.get(attempt=attempt, question=question)).misconceptions == []

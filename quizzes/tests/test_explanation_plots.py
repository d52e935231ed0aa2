"""Explanation plots in the learner's path: feedback panel, choice feedback and review."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from quizzes.models import Attempt, Question, Quiz
from rnnsim.core.plots import make_plot
from rnnsim.figures import spec_from_json
from rnnsim.models import RenderedPlot
from studysite.rendering import render_markdown_inline

from .makers import HTMX, answer_every_question, start

pytestmark = pytest.mark.usefixtures("seed")
SEED_QUIZ = "rnn-gradients-bptt"


def answer(client: Client, attempt: Attempt, question: Question, choice) -> str:
    url = reverse("attempt-question", args=[attempt.public_id, question.pk])
    return client.post(url, {"choice": attempt.choice_token(choice)}, headers=HTMX).content.decode()


def test_no_plot_before_answering(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    html = client.get(
        reverse("attempt-question", args=[attempt.public_id, attempt.question_ids[0]])
    ).content.decode()
    assert "plot-figure" not in html
    assert not RenderedPlot.objects.exists()


def test_feedback_panel_shows_the_explanation_plot_with_alt_text(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    question = Quiz.objects.get(slug="rnn-gradients-bptt").questions.get(
        order=4
    )  # exploding gradients: rho = 1.2
    html = answer(client, attempt, question, question.choices.get(is_correct=True))
    plot = RenderedPlot.objects.get(experiment="rho-power-law")
    assert plot.svg_url in html
    assert f'alt="{escape(plot.alt)}"' in html
    assert render_markdown_inline(plot.title) in html
    assert plot.lab_url.replace("&", "&amp;") in html


def test_a_wrong_choice_shows_its_own_plot(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    question = Quiz.objects.get(slug="rnn-gradients-bptt").questions.get(order=5)
    weight_decay = question.choices.get(text__startswith="Weight decay")
    html = answer(client, attempt, question, weight_decay)
    experiments = set(RenderedPlot.objects.values_list("experiment", flat=True))
    assert experiments == {"weight-decay", "clipping"}  # the choice's plot and the explanation's
    # … and the what-if of the belief it suggests: weight decay at λ = 5, a plot of its own
    assert RenderedPlot.objects.filter(experiment="weight-decay").count() == 2
    assert html.count('class="plot-figure"') == 3


def test_review_shows_every_explanation_plot(client: Client) -> None:
    attempt = start(client, SEED_QUIZ)
    answer_every_question(client, attempt, right=True)
    html = client.get(reverse("attempt-results", args=[attempt.public_id])).content.decode()
    assert html.count('class="plot-figure"') >= 22
    for plot in RenderedPlot.objects.all():
        assert plot.svg_url in html


def test_results_page_query_count_does_not_grow_with_plots(
    client: Client, django_assert_max_num_queries
) -> None:
    attempt = start(client, SEED_QUIZ)
    answer_every_question(client, attempt, right=False)
    client.get(reverse("attempt-results", args=[attempt.public_id]))  # plots now rendered
    # 9, and three for what the wrong answers suggest: the misconceptions, their what-if plots, their cards
    with django_assert_max_num_queries(12):
        client.get(reverse("attempt-results", args=[attempt.public_id]))


def test_an_explanation_quotes_the_step_its_own_plot_shows() -> None:
    """The seed's clipping explanation names the step where the unclipped run leaves the plot. The engine
    decides that step (it moved from 3 to 4 when the runs' batches changed), so the two are checked."""
    question = Question.objects.get(explanation__contains="leaves the plotted scale at step")
    quoted = re.search(r"leaves the plotted scale at step (\d+)", question.explanation)[1]
    spec = spec_from_json(question.plot)
    title = make_plot(spec.experiment, spec.params).title
    assert re.search(r"leaves the plotted scale at step (\d+)", title)[1] == quoted

"""With a worker backend in TASKS, pages queue missing plots and a worker draws them, outside requests."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from quizzes.models import Attempt, Question
from rnnsim.models import RenderedPlot

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def worker_backend(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def answer_first_question(client: Client) -> tuple[str, Question]:
    client.post(reverse("attempt-start", args=["rnn-gradients-bptt"]))
    attempt = Attempt.objects.get()
    question = Question.objects.get(pk=attempt.question_ids[0])
    url = reverse("attempt-question", args=[attempt.public_id, question.pk])
    client.post(url, {"choice": attempt.choice_token(question.choices.get(is_correct=True))})
    return url, question


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection, as in production
@pytest.mark.usefixtures("worker_backend")
def test_feedback_queues_its_plots_and_a_worker_draws_them(client: Client) -> None:
    url, question = answer_first_question(client)
    assert question.plot is not None
    feedback = client.get(url).content.decode()
    assert "✓ Correct" in feedback
    assert "plot-figure" not in feedback  # nothing drawn in the request, and no placeholder
    assert not RenderedPlot.objects.exists()
    queued = DBTaskResult.objects.filter(task_path="rnnsim.figures.render_plot")
    assert queued.count() >= 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert RenderedPlot.objects.filter(status=RenderedPlot.Status.READY).count() == queued.count()
    assert 'class="plot-figure"' in client.get(url).content.decode()


def test_the_default_backend_draws_in_the_request(client: Client) -> None:
    url, _ = answer_first_question(client)
    assert 'class="plot-figure"' in client.get(url).content.decode()
    assert not DBTaskResult.objects.exists()

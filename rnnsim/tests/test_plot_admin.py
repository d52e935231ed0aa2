"""Instructors pick a question's simulation in admin, with parameters checked against the spec."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from quizzes.tests.makers import question_admin_data
from rnnsim.forms import PlotSpecField

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "a-long-password-1"))
    return client


def test_field_cleans_to_a_full_validated_spec() -> None:
    field = PlotSpecField(required=False)
    cleaned = field.clean({"experiment": "rho-power-law", "params": {"rho": "1.2"}})
    assert cleaned == {"experiment": "rho-power-law", "params": {"rho": 1.2, "T": 100, "n": 16, "seed": 3}}
    assert field.clean(None) is None


def test_widget_offers_every_experiment_and_the_preview(staff_client: Client) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=4)
    html = staff_client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()
    assert 'name="plot__experiment"' in html
    assert '<option value="rho-power-law" selected>' in html
    assert 'name="plot__rho-power-law__rho" data-param="rho" value="1.2"' in html
    assert 'name="plot__cliff__w0"' in html
    assert "data-plot-preview" in html
    assert "rnnsim/plot_widget.js" in html


def test_admin_saves_a_chosen_experiment_with_its_parameters(staff_client: Client) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=4)
    data = question_admin_data(
        question, **{"plot__experiment": "pascanu-bound", "plot__pascanu-bound__s": "1.2"}
    )
    response = staff_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.plot == {"experiment": "pascanu-bound", "params": {"s": 1.2, "T": 60, "n": 16, "seed": 4}}


def test_admin_rejects_parameters_outside_the_spec(staff_client: Client) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-bptt", order=4)
    data = question_admin_data(
        question, **{"plot__experiment": "pascanu-bound", "plot__pascanu-bound__s": "40"}
    )
    response = staff_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "s must be between 0.5 and 1.5" in response.content.decode()
    question.refresh_from_db()
    assert question.plot["experiment"] == "rho-power-law"


def test_preview_uses_the_lab_data_endpoint(staff_client: Client) -> None:
    response = staff_client.get(reverse("lab-data", args=["pascanu-bound", "json"]), {"s": "1.2"})
    assert response.status_code == 200
    assert response.json()["svg"].endswith(".svg")  # what the preview shows: the lab draws SVG alone

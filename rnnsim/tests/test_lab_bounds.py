"""The lab's cost is bounded: renders per client, renders at once per host, and the store's size."""

from __future__ import annotations

import json
import math
import threading

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import reverse

from rnnsim.figures import get_or_render, resolve
from rnnsim.lab_store import EVICT_DOWN_TO, evict, referenced_specs
from rnnsim.models import RenderedPlot
from rnnsim.render_slots import render_slot

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def lab(**params) -> str:
    return (
        reverse("lab-experiment", args=["rho-power-law"])
        + "?"
        + "&".join(f"{k}={v}" for k, v in params.items())
    )


@override_settings(LAB_RENDERS_PER_CLIENT="2/h")  # windows align to the clock: a minute's could end mid-test
def test_uncached_renders_are_rate_limited_per_client_with_a_message_in_place(client: Client) -> None:
    assert client.get(lab(seed=1)).status_code == 200
    assert client.get(lab(seed=2)).status_code == 200
    response = client.get(lab(seed=3), headers=HTMX)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="lab-result"')
    assert "many new simulations" in html
    assert "Try again in" in html
    assert client.get(lab(seed=1)).status_code == 200  # a stored plot costs nothing and is not counted
    data = client.get(reverse("lab-data", args=["rho-power-law", "json"]) + "?seed=4")
    assert data.status_code == 429
    assert json.loads(data.content)["retry_after"] > 0
    assert Client(REMOTE_ADDR="10.0.0.9").get(lab(seed=5)).status_code == 200  # another client


def test_with_every_render_slot_taken_an_uncached_plot_is_refused_at_once(client: Client) -> None:
    client.get(lab(seed=1))
    with render_slot() as held:
        assert held
        response = client.get(lab(seed=2), headers=HTMX)
        assert response.status_code == 503
        assert response["Retry-After"] == "2"
        assert "busy" in response.content.decode()
        assert client.get(reverse("lab-data", args=["rho-power-law", "csv"]) + "?seed=2").status_code == 503
        assert client.get(lab(seed=1)).status_code == 200  # cached: no slot needed
    assert client.get(lab(seed=2)).status_code == 200


def test_slots_bound_threads_and_processes_together() -> None:
    results = []
    with render_slot() as first:
        thread = threading.Thread(target=lambda: results.append(render_slot().__enter__()))
        thread.start()
        thread.join()
    assert first
    assert results == [False]
    with render_slot() as again:
        assert again


@pytest.mark.usefixtures("seed")
def test_a_content_page_without_a_free_slot_shows_no_plot_rather_than_wait(client: Client) -> None:
    from quizzes.models import Quiz
    from quizzes.tests.makers import start

    RenderedPlot.objects.all().delete()
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    attempt = start(client, quiz)
    question = quiz.questions.get(pk=attempt.question_ids[0])
    url = reverse("attempt-question", args=[attempt.public_id, question.pk])
    token = attempt.choice_token(question.choices.get(is_correct=True))
    with render_slot():
        response = client.post(url, {"choice": token}, headers=HTMX)
    assert response.status_code == 200
    assert "<img" not in response.content.decode()
    assert "<img" in client.get(url).content.decode()  # drawn on the next view


def stored_bytes() -> int:
    return sum(plot.size_bytes for plot in RenderedPlot.objects.all())


@pytest.mark.usefixtures("seed")
def test_the_store_evicts_least_recently_used_lab_plots_and_never_content_plots(
    client: Client, settings
) -> None:
    settings.STUDYSITE_VARIANT_POOL = 2  # the templates' pools are content too; two variants each will do
    content_keys = set(referenced_specs())
    for spec in referenced_specs().values():
        get_or_render(spec)
    lab_plots = [get_or_render(resolve("rho-power-law", {"seed": seed})) for seed in (11, 12, 13)]
    assert all(plot.size_bytes > 1000 for plot in lab_plots)
    for year, plot in zip((1999, 2001, 2002), lab_plots, strict=True):  # seed 11 is the least recently used
        RenderedPlot.objects.filter(pk=plot.pk).update(last_used_at=plot.last_used_at.replace(year=year))
    kept_lab_bytes = lab_plots[1].size_bytes + lab_plots[2].size_bytes
    assert evict(limit=kept_lab_bytes + lab_plots[0].size_bytes) == 0  # the lab's plots fit: nothing goes
    assert evict(limit=math.ceil(kept_lab_bytes / EVICT_DOWN_TO)) == 1  # past it, down to EVICT_DOWN_TO
    kept = set(RenderedPlot.objects.values_list("key", flat=True))
    assert content_keys <= kept
    assert lab_plots[0].key not in kept
    assert not any(default_storage.exists(name) for name in lab_plots[0].stored_names())
    assert {lab_plots[1].key, lab_plots[2].key} <= kept
    assert evict(limit=0) == 2
    assert set(RenderedPlot.objects.values_list("key", flat=True)) == content_keys


@pytest.mark.usefixtures("seed")
def test_a_store_within_its_cap_costs_a_redraw_one_sum(django_assert_num_queries) -> None:
    """Not a scan of every piece of content (and every template's variant pool) for referenced plots."""
    get_or_render(resolve("rho-power-law", {"seed": 11}))
    with django_assert_num_queries(1):
        assert evict() == 0


@override_settings(LAB_STORE_BYTES=0)
def test_the_lab_keeps_the_store_within_its_cap(client: Client) -> None:
    client.get(lab(seed=21))
    client.get(lab(seed=22))
    assert RenderedPlot.objects.count() == 0  # nothing is referenced by content here


def figure(**params) -> str:
    return lab(**params).replace("/?", "/figure/?", 1)


@override_settings(LAB_RENDERS_PER_CLIENT="1/h")
def test_a_figure_fetched_after_feedback_keeps_the_labs_bounds_and_says_so_in_place(client: Client) -> None:
    assert "<figure" in client.get(figure(seed=1), headers=HTMX).content.decode()
    over = client.get(figure(seed=2), headers=HTMX)
    assert over.status_code == 200  # htmx swaps it in: the note stands where the plot would
    note = over.content.decode()
    assert "many new simulations" in note
    assert 'href="/lab/rho-power-law/?' in note  # where the learner can draw it themselves
    with render_slot():
        busy = client.get(figure(seed=1), headers=HTMX)  # drawn before: needs no slot
        assert "<figure" in busy.content.decode()
    assert client.get(figure(rho=9)).status_code == 400

"""The plot cache: keys, storage, serving, render-once under concurrency, and the content's plot specs."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, override_settings

from flashcards.models import Card
from quizzes.models import Choice, Question
from rnnsim import figures
from rnnsim.core.plots import EXPORT_FILES, LAB_FILES, NARROW
from rnnsim.lab_store import referenced_specs
from rnnsim.models import RenderedPlot
from rnnsim.variants import pool_plot_specs

SPEC = {"experiment": "pascanu-bound", "params": {"s": 0.8, "T": 20, "n": 4}}


def spec():
    return figures.spec_from_json(SPEC)


def test_key_depends_on_experiment_params_and_engine_version() -> None:
    base = spec()
    assert figures.resolve("pascanu-bound", {"s": "0.8", "T": 20, "n": 4}).key == base.key  # defaults, types
    assert figures.resolve("pascanu-bound", {"s": 0.81, "T": 20, "n": 4}).key != base.key
    assert figures.resolve("rho-power-law", {}).key != figures.resolve("pascanu-bound", {}).key
    assert len(figures.engine_version()) == 16


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"experiment": "nope"}, "Unknown experiment 'nope'"),
        ({"experiment": "pascanu-bound", "params": {"s": 9}}, "s must be between 0.5 and 1.5"),
        ({"params": {}}, 'A plot is {"experiment"'),
        ({"experiment": "pascanu-bound", "params": [1]}, "params must be an object"),
    ],
)
def test_invalid_specs_are_validation_errors(value, message) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        figures.validate_plot_spec(value)
    figures.validate_plot_spec(None)  # no plot is fine


@pytest.mark.django_db
def test_render_once_store_and_serve_with_long_cache(client: Client) -> None:
    plot = figures.get_or_render(spec(), EXPORT_FILES)
    assert plot.status == RenderedPlot.Status.READY
    assert set(plot.files) == {"wide.svg", "narrow.svg", "wide-2x.png"}
    for rendition, stored in plot.files.items():
        url = plot.file_url(rendition)
        assert stored["digest"] in url
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == ("image/svg+xml" if rendition.endswith(".svg") else "image/png")
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"<?xml" if rendition.endswith(".svg") else b"\x89PNG")
        assert client.get(url, headers={"If-None-Match": f'"{stored["digest"]}"'}).status_code == 304
    assert figures.get_or_render(spec()).pk == plot.pk  # cached


@pytest.mark.django_db
def test_a_figure_offers_the_phone_rendition_through_picture_each_as_one_svg() -> None:
    """Phones got the 720 px figure scaled to 300 px (5 px type); an SVG is sharp at every density."""
    plot = figures.get_or_render(spec())
    assert set(plot.files) == {"wide.svg", "narrow.svg"}  # a page needs no PNG
    html = render_to_string("rnnsim/_figure.html", {"plot": plot})
    narrow_width, narrow_height = plot.sizes["narrow"]
    source = re.search(r"<source ([^>]*)>", html)[1]
    assert f'media="{NARROW.media}"' in source
    assert f'srcset="{plot.file_url("narrow.svg")} {narrow_width}w"' in source
    assert f'width="{narrow_width}" height="{narrow_height}"' in source
    image = re.search(r"<img ([^>]*)>", html)[1]
    assert f'src="{plot.file_url("wide.svg")}"' in image
    assert f'srcset="{plot.file_url("wide.svg")} 720w"' in image
    assert 'width="720" height="430"' in image
    assert ".png" not in html
    assert 'loading="lazy"' in image
    assert html.index("<source") < html.index("<img")  # the browser takes the first source that matches


@pytest.mark.django_db
def test_wrong_digest_or_unknown_key_is_404(client: Client) -> None:
    plot = figures.get_or_render(spec(), EXPORT_FILES)
    digest = plot.files["wide-2x.png"]["digest"]
    assert client.get(plot.png_url.replace(digest, "0" * 16)).status_code == 404
    assert client.get(plot.png_url.replace(".png", ".svg")).status_code == 404  # a PNG's digest names no SVG
    assert client.get(plot.png_url.replace(plot.key, "f" * 64)).status_code == 404


@pytest.mark.django_db
def test_any_storage_backend_works(client: Client) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        from django.core.files.storage import default_storage

        plot = figures.get_or_render(figures.resolve("pascanu-bound", {"T": 15}), EXPORT_FILES)
        assert type(default_storage._wrapped).__name__ == "InMemoryStorage"
        assert client.get(plot.png_url).status_code == 200
        assert client.get(plot.svg_url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_render_a_missing_plot_once(monkeypatch) -> None:
    calls = []
    original = figures.draw

    def counting_draw(name, params, *files):
        calls.append(name)
        return original(name, params, *files)

    monkeypatch.setattr(figures, "draw", counting_draw)
    target = figures.resolve("pascanu-bound", {"T": 25, "seed": 77})
    barrier = threading.Barrier(2)
    results = []

    def request() -> None:
        barrier.wait()
        try:
            results.append(figures.get_or_render(target).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results[0] == results[1]
    assert calls == ["pascanu-bound"]
    assert RenderedPlot.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_render_releases_its_claim(monkeypatch) -> None:
    def broken(name, params, *files):
        raise RuntimeError("boom")

    monkeypatch.setattr(figures, "draw", broken)
    with pytest.raises(RuntimeError):
        figures.get_or_render(spec())
    assert not RenderedPlot.objects.exists()


@pytest.mark.usefixtures("seed")
def test_every_seed_question_has_a_valid_plot_and_choices_and_cards_may() -> None:
    fixed = Question.objects.filter(template__isnull=True)  # a template's plot is each variant's own
    for question in fixed:
        assert figures.spec_from_json(question.plot) is not None, question
    choice_plots = [c for c in Choice.objects.exclude(plot__isnull=True) if figures.spec_from_json(c.plot)]
    card_plots = [c for c in Card.objects.exclude(plot__isnull=True) if figures.spec_from_json(c.plot)]
    assert any(c.text.startswith("Weight decay") for c in choice_plots)
    assert len(card_plots) >= 5
    experiments = {figures.spec_from_json(q.plot).experiment for q in fixed}
    assert len(experiments) >= 9


@pytest.mark.django_db(transaction=True)
def test_render_plots_renders_everything_referenced_once(capsys, settings) -> None:
    settings.STUDYSITE_VARIANT_POOL = 2  # each template's pool: two variants, so the test stays quick
    call_command("load_seed", verbosity=0)
    call_command("render_plots", workers=2)
    first = capsys.readouterr().out
    rows = RenderedPlot.objects.filter(status=RenderedPlot.Status.READY).count()
    assert rows == len(referenced_specs()) >= 15
    templates = Question.objects.exclude(template__isnull=True)
    for question in templates:  # every pooled variant's plot is among them, ready before anyone asks
        for spec in pool_plot_specs(question.template):
            key = figures.spec_from_json(spec).key
            assert RenderedPlot.objects.filter(key=key, status=RenderedPlot.Status.READY).exists()
    own = [obj.plot for model in (Question, Choice, Card) for obj in model.objects.exclude(plot__isnull=True)]
    exported = {spec.key for spec in map(figures.spec_from_json, own) if spec}  # what exports embed
    assert 0 < len(exported) < rows
    for plot in RenderedPlot.objects.all():  # pages get SVGs; the PNG only where an export embeds it
        assert plot.has_page_images
        assert plot.has_png == (plot.key in exported), plot
    assert f"{rows} rendered now" in first
    call_command("render_plots", workers=2)
    second = capsys.readouterr().out
    assert "0 rendered now" in second
    assert RenderedPlot.objects.count() == rows


@pytest.mark.django_db(transaction=True)
def test_render_plots_draws_page_images_for_a_plot_the_lab_drew_svg_only(capsys) -> None:
    call_command("load_seed", verbosity=0)
    spec = next(iter(referenced_specs().values()))
    lab_drawn = figures.get_or_render(spec, LAB_FILES["narrow"])
    assert not lab_drawn.has_page_images
    call_command("render_plots", workers=1)
    plot = RenderedPlot.objects.get(key=spec.key)
    assert plot.pk == lab_drawn.pk
    assert plot.has_page_images
    assert RenderedPlot.objects.filter(status=RenderedPlot.Status.READY).count() == len(referenced_specs())

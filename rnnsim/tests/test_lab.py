"""The lab: every experiment's page, bounded parameters, htmx partials, and the numbers as CSV/JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from rnnsim.core.experiments import EXPERIMENTS
from rnnsim.core.plots import PAGE_FILES
from rnnsim.models import RenderedPlot
from studysite.rendering import render_markdown_inline

pytestmark = pytest.mark.django_db


def lab(name: str) -> str:
    return reverse("lab-experiment", args=[name])


def test_index_lists_every_experiment_with_its_claim(client: Client) -> None:
    html = client.get(reverse("lab-index")).content.decode()
    for experiment in EXPERIMENTS.values():
        assert lab(experiment.name) in html
        assert render_markdown_inline(experiment.claim) in html
        assert "math-error" not in render_markdown_inline(experiment.claim), experiment.name


def test_page_shows_controls_claim_and_plot(client: Client) -> None:
    response = client.get(lab("rho-power-law"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<input type="range" id="param-rho-slider"(?![^>]*name=)[^>]*hidden>', html)
    assert html.count('name="rho"') == 1  # only the number box is sent: the value the learner sees
    assert 'type="number" name="rho"' in html
    assert "csrfmiddlewaretoken" not in html  # a GET form: a lab URL is a link, with no token in it
    claim = render_markdown_inline(EXPERIMENTS["rho-power-law"].claim)
    assert claim in html
    assert "<math" in claim  # the claim's math is MathML, like the rest of the site
    plot = RenderedPlot.objects.get()
    assert set(plot.files) == {"wide.svg", "narrow.svg"}  # the lab writes one format: vector, no PNG
    assert f'<img src="{plot.svg_url}"' in html
    assert f'srcset="{plot.file_url("narrow.svg")} 320w"' in html  # a phone gets the stacked one
    assert ".png" not in html
    assert f'alt="{escape(plot.alt)}"' in html


def test_a_page_that_needs_a_lab_plot_draws_its_other_layout_once_and_keeps_one_file_each(
    client: Client,
) -> None:
    client.get(lab("rho-power-law"), headers={"HX-Request": "true", "X-Lab-Layout": "narrow"})
    lab_plot = RenderedPlot.objects.get()
    assert set(lab_plot.files) == {"narrow.svg"}  # a redraw writes the layout the screen shows
    figure = client.get(reverse("lab-figure", args=["rho-power-law"])).content.decode()
    plot = RenderedPlot.objects.get()
    assert plot.pk == lab_plot.pk
    assert plot.svg_url in figure
    assert set(plot.files) == PAGE_FILES  # the page's layouts, the lab's among them
    folder = "plots/rho-power-law"
    mine = plot.key[:32]  # other tests' plots may share the folder
    stored = {name for name in default_storage.listdir(folder)[1] if name.startswith(mine)}
    assert {f"{folder}/{name}" for name in stored} >= set(plot.stored_names())
    assert not [name for name in stored if "_" in name]  # drawn again in place: storage renamed no copy
    rendered_at = plot.rendered_at
    client.get(reverse("lab-figure", args=["rho-power-law"]))
    client.get(lab("rho-power-law"))
    assert RenderedPlot.objects.get().rendered_at == rendered_at  # drawn for pages once, then reused


def test_parameters_from_the_query_string_change_the_plot(client: Client) -> None:
    html = client.get(lab("rho-power-law"), {"rho": "1.2", "T": "50"}).content.decode()
    title = re.search(r'<strong class="plot-title">(.*?)</strong>', html, re.DOTALL)[1]
    assert "the gradient grows to 9.1e3 of its size after 50 steps" in title
    assert "<math" in title  # its ρ = 1.2 is MathML, like the rest of the site's math


def test_htmx_request_returns_only_the_result(client: Client) -> None:
    response = client.get(lab("rho-power-law"), {"rho": "0.7"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="lab-result"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_the_form_without_javascript_is_a_plain_get_of_the_same_page(client: Client) -> None:
    html = client.get(lab("rho-power-law"), {"rho": "0.8", "T": "40", "n": "8", "seed": "3"}).content.decode()
    assert '<form method="get" action="/lab/rho-power-law/"' in html
    assert "the gradient shrinks to 1.3e-4 of its size after 40 steps" in html  # 0.8**40
    assert client.post(lab("rho-power-law"), {"rho": "0.8"}).status_code == 405


def test_new_random_network_without_javascript_redirects_to_a_fresh_seed(client: Client) -> None:
    response = client.get(lab("rho-power-law"), {"rho": "0.8", "seed": "3", "new_network": "1"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["rho"] == ["0.8"]
    assert "new_network" not in query
    assert query["seed"] != ["3"]
    assert 0 <= int(query["seed"][0]) < 2**31


def test_an_emptied_box_is_named_not_silently_defaulted(client: Client) -> None:
    response = client.get(lab("rho-power-law"), {"rho": "0.8", "T": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Enter a value for T." in response.content.decode()


def refuse_non_finite(token: str) -> None:
    raise AssertionError(f"not strict JSON: {token}")


def test_lab_json_is_strict_json_even_for_a_diverging_run(client: Client) -> None:
    """Clipping and weight decay diverge: their non-finite numbers are null, never bare NaN."""
    for name in ("clipping", "weight-decay"):
        body = client.get(reverse("lab-data", args=[name, "json"])).content.decode()
        data = json.loads(body, parse_constant=refuse_non_finite)
        assert any(value is None for row in data["rows"] for value in row), name


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rho": "7"}, "rho must be between 0.5 and 1.5; got &#x27;7&#x27;."),
        ({"T": "100000"}, "T must be between 10 and 200"),
        ({"rho": "abc"}, "rho must be a number"),
        ({"T": "10.5"}, "T must be a whole number"),
    ],
)
def test_a_parameter_outside_its_spec_is_a_400_naming_the_bound(client: Client, params, message) -> None:
    response = client.get(lab("rho-power-law"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RenderedPlot.objects.exists()
    htmx = client.get(lab("rho-power-law"), params, headers={"HX-Request": "true"})
    assert htmx.status_code == 400
    assert message in htmx.content.decode()


def test_identical_requests_hit_the_cache(client: Client, django_assert_max_num_queries) -> None:
    client.get(lab("pascanu-bound"), {"s": "1.1"})
    assert RenderedPlot.objects.count() == 1
    with django_assert_max_num_queries(3):
        client.get(lab("pascanu-bound"), {"s": "1.1"})
    assert RenderedPlot.objects.count() == 1


def test_numbers_download_as_csv_and_json(client: Client) -> None:
    query = {"rho": "1.1", "T": "20"}
    response = client.get(reverse("lab-data", args=["rho-power-law", "csv"]), query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["series", "steps back k", "gradient ratio"]
    by_k = {int(float(x)): float(y) for series, x, y in rows[1:] if series == "rho=1.1"}
    assert by_k[20] == pytest.approx(1.1**20, rel=1e-9)
    data = json.loads(client.get(reverse("lab-data", args=["rho-power-law", "json"]), query).content)
    assert data["params"]["rho"] == 1.1
    assert data["claim"] == EXPERIMENTS["rho-power-law"].claim
    assert data["png"] is None  # the lab draws SVG alone
    assert data["svg"].endswith(".svg")
    assert len(data["rows"]) == len(rows) - 1


def test_data_endpoint_rejects_bad_parameters(client: Client) -> None:
    csv_response = client.get(reverse("lab-data", args=["rho-power-law", "csv"]), {"rho": "9"})
    assert csv_response.status_code == 400
    json_response = client.get(reverse("lab-data", args=["rho-power-law", "json"]), {"rho": "9"})
    assert json_response.status_code == 400
    assert "between 0.5 and 1.5" in json_response.json()["error"]
    assert client.get(reverse("lab-data", args=["nope", "json"])).status_code == 400


def test_unknown_experiment_page_is_404(client: Client) -> None:
    assert client.get(lab("no-such-experiment")).status_code == 404


@pytest.mark.parametrize("layout", ["narrow", "wide"])
def test_a_redraw_for_one_screen_draws_only_its_layout(client: Client, layout: str) -> None:
    headers = {"HX-Request": "true", "X-Lab-Layout": layout}
    response = client.get(lab("rho-power-law"), {"T": "33"}, headers=headers)
    assert response.status_code == 200
    assert "X-Lab-Layout" in response["Vary"]  # a cache must not hand a phone's plot to a desktop
    plot = RenderedPlot.objects.get()
    assert set(plot.files) == {f"{layout}.svg"}
    html = response.content.decode()
    assert f'<img src="{plot.svg_url}"' in html
    assert "<source" not in html  # one rendition: no media query to choose between

"""A card can carry a simulation plot on its back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from flashcards.models import Card
from rnnsim.models import RenderedPlot

pytestmark = pytest.mark.usefixtures("seed")


def test_cards_with_a_plot_show_it_on_the_back(client: Client) -> None:
    html = client.get(reverse("deck-detail", args=["rnn-gradients-bptt"])).content.decode()
    with_plot = Card.objects.exclude(plot__isnull=True).count()
    templates = Card.objects.exclude(template__isnull=True).count()  # each shows its sample variant's plot
    assert html.count('class="plot-figure"') == with_plot + templates
    for plot in RenderedPlot.objects.all():
        assert plot.svg_url in html

"""Deck pages: every deck, and one deck's cards with search."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from rnnsim.figures import attach_plots

from .models import Deck


@require_GET
def deck_list(request: HttpRequest) -> HttpResponse:
    decks = Deck.objects.select_related("study_set").annotate(card_count=Count("cards"))
    return render(request, "flashcards/deck_list.html", {"decks": decks})


@require_GET
@vary_on_headers("HX-Request")
def deck_detail(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(Deck.objects.select_related("study_set"), slug=slug)
    query = request.GET.get("q", "").strip()[:200]
    cards = deck.cards.select_related("notes_section", "notes_section__study_set")
    if query:
        cards = cards.search(query)
    cards = list(cards)
    attach_plots(cards)
    template_name = "flashcards/deck_detail.html"
    if request.htmx:
        template_name += "#card-list"
    context = {"deck": deck, "cards": cards, "query": query, "total": deck.cards.count()}
    return render(request, template_name, context)

"""Deck pages: browse and search, study with FSRS, cram without a schedule, and statistics."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from rnnsim.figures import attach_plots
from studysite.downloads import attachment
from studysite.exchange import ImportRejected, read_upload

from . import exporting, importing, scheduling, statistics, variants
from .models import Card, Deck, Review


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="JSON from StudySite, CSV (front,back,tags,guid) or Quizlet TSV; at most 5 MiB."
    )
    format = forms.ChoiceField(choices=[("json", "StudySite JSON"), ("csv", "CSV"), ("tsv", "TSV (Quizlet)")])
    deck = forms.ModelChoiceField(
        Deck.objects.all(),
        required=False,
        help_text="For CSV and TSV: the deck to import into. JSON names its own.",
    )


CARDS_PER_PAGE = 50
MAX_ANSWER_MS = 60_000  # as in Anki: a card left open longer counts as one minute


@require_safe
def deck_list(request: HttpRequest) -> HttpResponse:
    decks = Deck.objects.select_related("study_set").annotate(card_count=Count("cards"))
    return render(request, "flashcards/deck_list.html", {"decks": decks})


@require_safe
@vary_on_headers("HX-Request")
def deck_detail(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(Deck.objects.select_related("study_set"), slug=slug)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL text has no NUL
    cards = deck.cards.with_notes_link()
    if query:
        cards = cards.search(query)  # over the whole deck; the page shows CARDS_PER_PAGE of the matches
    page = Paginator(cards, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [variants.sample(card) for card in page.object_list]  # templates: a sample each
    attach_plots(page.object_list)
    template_name = "flashcards/deck_detail.html"
    if request.htmx:
        template_name += "#card-list"
    context = {
        "deck": deck,
        "page": page,
        "cards": page.object_list,
        "query": query,
        "total": deck.cards.count(),
    }
    if request.user.is_authenticated:
        context["counts"] = scheduling.counts(deck, request.user, timezone.now())
    return render(request, template_name, context)


def study_context(
    request: HttpRequest,
    deck: Deck,
    card: Card | None,
    *,
    show_back: bool,
    counts: scheduling.DeckCounts | None = None,
    now: datetime | None = None,
) -> dict:
    now = now or timezone.now()
    if card is not None:
        card = variants.shown(card, request.user)  # a template card: this review's own variant
    counts = counts or scheduling.counts(deck, request.user, now)
    context = {
        "deck": deck,
        "card": card,
        "show_back": show_back,
        "counts": counts,
        "done_today": counts.done_today,
        "session_total": counts.done_today + counts.remaining,
        "shown_at": int(now.timestamp() * 1000),
        # A review kept today is one to undo; only on a day without one is the older history asked.
        "can_undo": counts.done_today > 0
        or Review.objects.filter(user=request.user, card__deck=deck, undone_at__isnull=True).exists(),
    }
    if card is not None and show_back:
        context["typed"] = variants.check_typed(card, request.GET.get("response", ""))
        attach_plots([card])
        intervals = scheduling.next_intervals(deck, card, request.user, now)
        context["ratings"] = [
            (rating, rating.label, scheduling.format_interval(intervals[rating])) for rating in Review.Rating
        ]
    return context


def next_study_context(request: HttpRequest, deck: Deck) -> dict:
    """The front of the next card due: the deck's counts are read once, for choosing it and showing them."""
    now = timezone.now()
    counts = scheduling.counts(deck, request.user, now)
    card = scheduling.next_card(deck, request.user, now, counts)
    return study_context(request, deck, card, show_back=False, counts=counts, now=now)


def render_study(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template_name = "flashcards/study.html" + ("#study-card" if request.htmx else "")
    return render(request, template_name, context, status=status)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def study(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(Deck, slug=slug)
    return render_study(request, next_study_context(request, deck))


@require_safe
@login_required
@vary_on_headers("HX-Request")
def study_answer(request: HttpRequest, slug: str, card_id: int) -> HttpResponse:
    deck = get_object_or_404(Deck, slug=slug)
    card = get_object_or_404(deck.cards.with_notes_link(), pk=card_id)
    return render_study(request, study_context(request, deck, card, show_back=True))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def study_rate(request: HttpRequest, slug: str, card_id: int) -> HttpResponse:
    deck = get_object_or_404(Deck, slug=slug)
    card = get_object_or_404(deck.cards.with_notes_link(), pk=card_id)
    try:
        rating = Review.Rating(int(request.POST.get("rating", "")))
    except ValueError:
        context = study_context(request, deck, card, show_back=True)
        context["error"] = "Rate the card with Again (1), Hard (2), Good (3) or Easy (4)."
        return render_study(request, context, status=400)
    now = timezone.now()
    scheduling.review(
        user=request.user, card=card, rating=rating, now=now, duration_ms=answer_duration(request, now)
    )
    if not request.htmx:
        return redirect("deck-study", deck.slug)
    return render_study(request, next_study_context(request, deck))


def answer_duration(request: HttpRequest, now: datetime) -> int | None:
    """Time from showing the front to rating, from the timestamp the page carried; None if absent."""
    try:
        shown = datetime.fromtimestamp(int(request.POST["shown_at"]) / 1000, tz=UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return None
    elapsed = int((now - shown).total_seconds() * 1000)
    return min(max(elapsed, 0), MAX_ANSWER_MS)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def study_undo(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(Deck, slug=slug)
    undone = scheduling.undo_last(user=request.user, deck=deck, now=timezone.now())
    if not request.htmx:
        if undone is None:
            return redirect("deck-study", deck.slug)
        return redirect("deck-study-answer", deck.slug, undone.card_id)
    if undone is None:
        return render_study(request, next_study_context(request, deck))
    return render_study(request, study_context(request, deck, undone.card, show_back=True))


@require_safe
@vary_on_headers("HX-Request")
def cram(request: HttpRequest, slug: str) -> HttpResponse:
    """Every card in order, front then back, without touching anybody's schedule."""
    deck = get_object_or_404(Deck, slug=slug)
    cards = list(deck.cards.order_by("id").values_list("id", flat=True))
    if not cards:
        raise Http404("This deck has no cards.")
    try:
        position = min(max(int(request.GET.get("n", "1")), 1), len(cards))
    except ValueError:
        position = 1
    card = variants.sample(deck.cards.with_notes_link().get(pk=cards[position - 1]))
    show_back = request.GET.get("side") == "back"
    if show_back:
        attach_plots([card])
    context = {"deck": deck, "card": card, "position": position, "total": len(cards), "show_back": show_back}
    template_name = "flashcards/cram.html" + ("#cram-card" if request.htmx else "")
    return render(request, template_name, context)


@require_safe
@login_required
def deck_stats(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(Deck, slug=slug)
    context = {"deck": deck, **statistics.deck_statistics(deck, request.user, timezone.now())}
    return render(request, "flashcards/stats.html", context)


EXPORTS = {
    "json": (
        "application/json",
        lambda deck: json.dumps(exporting.export_json(deck), indent=2, ensure_ascii=False),
    ),
    "csv": ("text/csv; charset=utf-8", exporting.export_csv),
    "tsv": ("text/tab-separated-values; charset=utf-8", exporting.export_tsv),
    "apkg": ("application/octet-stream", exporting.export_apkg),
}


@require_safe
def deck_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Download a deck as JSON (lossless), CSV, Quizlet TSV or an Anki package."""
    deck = get_object_or_404(Deck, slug=slug)
    content_type, export = EXPORTS[fmt]
    return attachment(export(deck), content_type=content_type, filename=f"{deck.slug}.{fmt}")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def deck_import(request: HttpRequest) -> HttpResponse:
    """Instructors import a deck file; a bad file is reported line by line and changes nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = importing.import_deck(
                    read_upload(upload),
                    fmt=form.cleaned_data["format"],
                    deck=form.cleaned_data["deck"],
                )
            except ImportRejected as error:
                form.add_error("file", error.problems)
            else:
                messages.success(
                    request,
                    f"Imported into {result.deck}: {result.created} new cards, {result.updated} updated.",
                )
                return redirect(result.deck)
        status = 400
    return render(request, "flashcards/import.html", {"form": form}, status=status)

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponse

from studysite.downloads import zipped
from studysite.readonly_admin import ReadOnlyAdmin

from . import exporting
from .models import Card, Deck, Review, Schedule


class CardInline(admin.StackedInline):
    model = Card
    extra = 0
    fields = ["front", "back", "plot", "template", "tags", "notes_section"]


@admin.register(Deck)
class DeckAdmin(admin.ModelAdmin):
    list_display = ["title", "study_set", "slug", "new_cards_per_day", "reviews_per_day", "desired_retention"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["study_set", "title", "slug", "description"]}),
        ("Scheduling", {"fields": ["new_cards_per_day", "reviews_per_day", "desired_retention"]}),
    ]
    inlines = [CardInline]
    actions = ["export_anki", "export_json"]

    @admin.action(description="Export the selected decks as Anki packages (.apkg, in a zip)")
    def export_anki(self, request, queryset) -> HttpResponse:
        return zipped(
            {f"{deck.slug}.apkg": exporting.export_apkg(deck) for deck in queryset}, "decks-anki.zip"
        )

    @admin.action(description="Export the selected decks as StudySite JSON (in a zip)")
    def export_json(self, request, queryset) -> HttpResponse:
        files = {
            f"{deck.slug}.json": json.dumps(
                exporting.export_json(deck), indent=2, ensure_ascii=False
            ).encode()
            for deck in queryset
        }
        return zipped(files, "decks-json.zip")


class MoveForm(forms.Form):
    deck = forms.ModelChoiceField(Deck.objects.all(), label="Deck")


class TagForm(forms.Form):
    tag = forms.SlugField(label="Tag", max_length=60)


class CardActionForm(ActionForm, MoveForm, TagForm):
    """The bulk actions' extra inputs beside the action menu: a deck to move to, a tag to add."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deck"].required = self.fields["tag"].required = False


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "deck", "tags", "notes_section"]
    list_filter = ["deck", "notes_section"]
    search_fields = ["front", "back", "tags"]
    list_select_related = ["deck", "notes_section"]
    readonly_fields = ["guid"]
    action_form = CardActionForm
    actions = ["move_to_deck", "add_tag"]

    @admin.action(description="Move the selected cards to the chosen deck")
    def move_to_deck(self, request, queryset) -> None:
        form = MoveForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose a deck to move the cards to.", messages.ERROR)
            return
        deck = form.cleaned_data["deck"]
        moved = queryset.update(deck=deck)
        self.message_user(
            request, f"Moved {moved} card{'s' if moved != 1 else ''} to {deck}.", messages.SUCCESS
        )

    @admin.action(description="Add the chosen tag to the selected cards")
    def add_tag(self, request, queryset) -> None:
        form = TagForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Type a tag (letters, digits, - and _) to add.", messages.ERROR)
            return
        tag = form.cleaned_data["tag"]
        changed = []
        for card in queryset:
            if tag not in card.tag_list:
                card.tags = " ".join([*card.tag_list, tag])
                changed.append(card)
        Card.objects.bulk_update(changed, ["tags"])
        self.message_user(
            request,
            f"Tagged {len(changed)} card{'s' if len(changed) != 1 else ''} “{tag}”.",
            messages.SUCCESS,
        )


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """The review log, for instructors; it is written by studying, never by hand."""

    list_display = ["reviewed_at", "user", "card", "rating", "source", "was_new", "undone_at"]
    list_filter = ["rating", "source", "card__deck"]
    search_fields = ["user__username", "card__front"]
    list_select_related = ["user", "card"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["user", "card", "state", "due", "stability", "difficulty"]
    list_filter = ["state", "card__deck"]
    search_fields = ["user__username", "card__front"]
    list_select_related = ["user", "card"]

from django.contrib import admin

from .models import Card, Deck


class CardInline(admin.StackedInline):
    model = Card
    extra = 0
    fields = ["front", "back", "plot", "tags", "notes_section"]


@admin.register(Deck)
class DeckAdmin(admin.ModelAdmin):
    list_display = ["title", "study_set", "slug"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CardInline]


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "deck", "tags", "notes_section"]
    list_filter = ["deck", "notes_section"]
    search_fields = ["front", "back", "tags"]
    list_select_related = ["deck", "notes_section"]
    readonly_fields = ["guid"]

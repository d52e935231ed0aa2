"""Flashcard decks and their cards."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse

from rnnsim.fields import PlotSpecModelField
from studysite.models import NoteSection, StudySet


def new_guid() -> str:
    """A card's identity across exports, so re-importing into Anki updates instead of duplicating."""
    return uuid.uuid4().hex


class Deck(models.Model):
    study_set = models.OneToOneField(
        StudySet, on_delete=models.CASCADE, related_name="deck", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deck-detail", args=[self.slug])


class CardQuerySet(models.QuerySet["Card"]):
    def search(self, query: str) -> CardQuerySet:
        """Cards whose front, back or tags contain every word of the query."""
        cards = self
        for word in query.split():
            cards = cards.filter(
                models.Q(front__icontains=word)
                | models.Q(back__icontains=word)
                | models.Q(tags__icontains=word)
            )
        return cards


class Card(models.Model):
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="cards")
    front = models.TextField(help_text="Markdown; LaTeX between $ … $ or $$ … $$.")
    back = models.TextField(help_text="Markdown; LaTeX between $ … $ or $$ … $$.")
    tags = models.CharField(max_length=500, blank=True, help_text="Space-separated, as in Anki.")
    notes_section = models.ForeignKey(
        NoteSection,
        on_delete=models.SET_NULL,
        related_name="cards",
        null=True,
        blank=True,
        help_text="The section of the study notes this card drills.",
    )
    plot = PlotSpecModelField("back plot", help_text="Optional: a simulation shown on the back of the card.")
    guid = models.CharField(max_length=64, unique=True, default=new_guid, editable=False)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["deck", "id"]

    def __str__(self) -> str:
        return self.front[:80]

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

"""Decks out of StudySite: lossless JSON, CSV, Quizlet-style TSV, and Anki packages with plots.

Every format keeps each card's GUID, so importing the same file again (here or into Anki) updates
cards instead of duplicating them.
"""

from __future__ import annotations

from rnnsim.variants import fill, fixed_variants, plot_spec
from studysite.exchange import export_study_set
from studysite.note_exports import NoteRow, rows_apkg, rows_csv, rows_tsv

from .models import Card, Deck

FORMAT = "studysite-deck"
VERSION = 1


def cards_of(deck: Deck) -> list[Card]:
    return list(deck.cards.select_related("notes_section").order_by("id"))


def export_json(deck: Deck) -> dict:
    """Everything needed to recreate the deck and its cards exactly, in another database."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "study_set": export_study_set(deck.study_set),
        "deck": {
            "title": deck.title,
            "slug": deck.slug,
            "description": deck.description,
            "new_cards_per_day": deck.new_cards_per_day,
            "reviews_per_day": deck.reviews_per_day,
            "desired_retention": deck.desired_retention,
        },
        "cards": [
            {
                "guid": card.guid,
                "front": card.front,
                "back": card.back,
                "tags": card.tag_list,
                "plot": card.plot,
                "template": card.template,
                "notes_section": card.notes_section.anchor if card.notes_section else None,
            }
            for card in cards_of(deck)
        ],
    }


def card_rows(deck: Deck) -> list[NoteRow]:
    """A note per card; a template card as a few fixed variants, each a note with a GUID of its own."""
    rows = []
    for card in cards_of(deck):
        if not card.template:
            rows.append(NoteRow(card.guid, card.front, card.back, card.tag_list, card.plot))
            continue
        for guid, variant in fixed_variants(card.template, card.guid):
            plot = plot_spec(card.template, variant)
            rows.append(
                NoteRow(guid, fill(card.front, variant), fill(card.back, variant), card.tag_list, plot)
            )
    return rows


def export_csv(deck: Deck) -> str:
    return rows_csv(card_rows(deck))


def export_tsv(deck: Deck) -> str:
    return rows_tsv(card_rows(deck))


def export_apkg(deck: Deck) -> bytes:
    return rows_apkg(deck.title, f"deck:{deck.slug}", card_rows(deck))

"""manage.py export_deck SLUG --format apkg --output FILE"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flashcards import exporting
from flashcards.models import Deck


class Command(BaseCommand):
    help = "Export a deck as an Anki package, CSV, Quizlet TSV or lossless JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["apkg", "csv", "tsv", "json"], default="json")
        parser.add_argument(
            "--output", help="File to write; defaults to SLUG.FORMAT in the current directory."
        )

    def handle(self, *args, slug: str, format: str, output: str | None, **options) -> None:
        deck = Deck.objects.filter(slug=slug).first()
        if deck is None:
            raise CommandError(
                f"No deck with slug {slug!r}. Decks: {', '.join(Deck.objects.values_list('slug', flat=True))}"
            )
        if format == "apkg":
            content: bytes = exporting.export_apkg(deck)
        elif format == "json":
            content = json.dumps(exporting.export_json(deck), indent=2, ensure_ascii=False).encode()
        else:
            content = (exporting.export_csv if format == "csv" else exporting.export_tsv)(deck).encode()
        path = Path(output or f"{slug}.{format}")
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {deck.cards.count()} cards to {path} ({len(content):,} bytes).")
        )

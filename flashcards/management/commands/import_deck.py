"""manage.py import_deck FILE [--format json|csv|tsv] [--deck SLUG]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flashcards import importing
from flashcards.models import Deck
from studysite.exchange import ImportRejected


class Command(BaseCommand):
    help = "Import a deck file; cards are matched by GUID, and a bad file changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--format", choices=importing.FORMATS, help="Defaults to the file's extension.")
        parser.add_argument("--deck", help="For CSV and TSV: the slug of the deck to import into.")

    def handle(self, *args, path: str, format: str | None, deck: str | None, **options) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        fmt = format or source.suffix.lstrip(".").lower()
        target = None
        if deck:
            target = Deck.objects.filter(slug=deck).first()
            if target is None:
                raise CommandError(f"No deck with slug {deck!r}.")
        try:
            result = importing.import_deck(source.read_bytes(), fmt=fmt, deck=target)
        except ImportRejected as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.problems)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {result.deck.slug}: {result.created} new cards, {result.updated} updated."
            )
        )

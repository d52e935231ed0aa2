"""Load the seed study set (quiz, deck and notes) from ``fixtures/``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from studysite.models import StudySet

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# Order matters: each fixture refers to rows of the ones before it.
SEED_FIXTURES = ["studysets.json", "notes.json", "misconceptions.json", "quizzes.json", "flashcards.json"]
SEED_SLUG = "rnn-gradients-bptt"


class Command(BaseCommand):
    help = "Load the seed content. Skips content that is already there unless --force is given."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite the seed rows with the fixtures' version, discarding edits made in admin.",
        )

    def handle(self, *args, force: bool = False, verbosity: int = 1, **options) -> None:
        if StudySet.objects.filter(slug=SEED_SLUG).exists() and not force:
            if verbosity:
                self.stdout.write(
                    "Seed content is already loaded; leaving it as it is (use --force to overwrite)."
                )
            return
        with transaction.atomic():
            for name in SEED_FIXTURES:
                call_command("loaddata", FIXTURES_DIR / name, verbosity=0)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the seed content from {len(SEED_FIXTURES)} fixtures.")
            )

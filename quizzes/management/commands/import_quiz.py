"""manage.py import_quiz FILE [--format json|gift] [--quiz SLUG]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import importing
from quizzes.models import Quiz
from studysite.exchange import ImportRejected


class Command(BaseCommand):
    help = "Import a StudySite quiz (JSON) or GIFT questions into a quiz; a bad file changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--format", choices=list(importing.PARSERS), help="Defaults to the file's extension."
        )
        parser.add_argument("--quiz", help="For GIFT: the slug of the quiz to add the questions to.")

    def handle(self, *args, path: str, format: str | None, quiz: str | None, **options) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        fmt = format or (
            "gift" if source.name.endswith((".gift", ".gift.txt")) else source.suffix.lstrip(".").lower()
        )
        target = None
        if quiz:
            target = Quiz.objects.filter(slug=quiz).first()
            if target is None:
                raise CommandError(f"No quiz with slug {quiz!r}.")
        try:
            result = importing.import_quiz(source.read_bytes(), fmt=fmt, quiz=target)
        except ImportRejected as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.problems)) from None
        for skipped in result.skipped:
            self.stdout.write(self.style.WARNING(skipped))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {result.quiz.slug}: {result.created} new questions, {result.updated} updated"
                + (f", {len(result.skipped)} skipped." if result.skipped else ".")
            )
        )

"""manage.py import_quiz FILE [--format json|gift|xml] [--quiz SLUG] [--dry-run]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import importing
from quizzes.models import Quiz
from studysite.exchange import ImportRejected


class Command(BaseCommand):
    help = "Import a StudySite quiz (JSON), or GIFT or Moodle XML questions into a quiz; all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--format", choices=list(importing.PARSERS), help="Defaults to the file's extension."
        )
        parser.add_argument("--quiz", help="For GIFT and XML: the slug of the quiz to add the questions to.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be created, updated, skipped or rejected; write nothing.",
        )

    def handle(
        self, *args, path: str, format: str | None, quiz: str | None, dry_run: bool, **options
    ) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        fmt = format or importing.format_of(source.name)
        target = None
        if quiz:
            target = Quiz.objects.filter(slug=quiz).first()
            if target is None:
                raise CommandError(f"No quiz with slug {quiz!r}.")
        try:
            result = importing.import_quiz(source.read_bytes(), fmt=fmt, quiz=target, dry_run=dry_run)
        except ImportRejected as error:
            verdict = "Rejected: nothing would be imported" if dry_run else "Nothing was imported"
            raise CommandError(f"{verdict}:\n" + "\n".join(error.problems)) from None
        if dry_run:
            for action in result.actions:
                self.stdout.write(f"{action} ({action.kind})")
        for line in result.skipped + result.warnings:
            self.stdout.write(self.style.WARNING(line))
        for line in result.new_misconceptions:
            self.stdout.write(f"New misconception {line}")
        counts = f"{result.created} new questions, {result.updated} updated" + (
            f", {len(result.skipped)} skipped" if result.skipped else ""
        )
        if dry_run:
            self.stdout.write(
                f"Dry run, nothing written: the import into {result.quiz.slug} would make {counts}."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported into {result.quiz.slug}: {counts}."))

"""manage.py export_quiz SLUG --format gift --output FILE"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import exporting
from quizzes.models import Quiz
from studysite.note_exports import rows_apkg, rows_csv, rows_tsv

WRITERS = {
    "json": lambda quiz: json.dumps(exporting.export_json(quiz), indent=2, ensure_ascii=False).encode(),
    "gift": lambda quiz: exporting.export_gift(quiz).encode(),
    "xml": exporting.export_moodle_xml,
    "apkg": lambda quiz: rows_apkg(quiz.title, f"quiz:{quiz.slug}", exporting.quiz_rows(quiz)),
    "csv": lambda quiz: rows_csv(exporting.quiz_rows(quiz)).encode(),
    "tsv": lambda quiz: rows_tsv(exporting.quiz_rows(quiz)).encode(),
}


class Command(BaseCommand):
    help = "Export a quiz as lossless JSON, Moodle GIFT or XML, or as a study deck (apkg, csv, tsv)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=list(WRITERS), default="json")
        parser.add_argument(
            "--output", help="File to write; defaults to SLUG.FORMAT in the current directory."
        )

    def handle(self, *args, slug: str, format: str, output: str | None, **options) -> None:
        quiz = Quiz.objects.filter(slug=slug).first()
        if quiz is None:
            known = ", ".join(Quiz.objects.values_list("slug", flat=True))
            raise CommandError(f"No quiz with slug {slug!r}. Quizzes: {known}")
        content = WRITERS[format](quiz)
        path = Path(output or f"{slug}.{format}")
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {quiz.questions.count()} questions to {path} ({len(content):,} bytes)."
            )
        )

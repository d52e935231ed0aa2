"""Redraw the stored HTML of every Markdown field, after the renderer changed (make run does it)."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from studysite.rendering import RenderedMarkdownModel

BATCH = 500


class Command(BaseCommand):
    help = "Redraw stored Markdown HTML that the current renderer would draw differently (idempotent)."

    def handle(self, *args, verbosity: int = 1, **options) -> None:
        for model in apps.get_models():
            if not issubclass(model, RenderedMarkdownModel):
                continue
            changed, total = [], 0
            for row in model._default_manager.iterator(chunk_size=BATCH):
                total += 1
                before = [getattr(row, html) for html in model.rendered_fields]
                row.render()
                if [getattr(row, html) for html in model.rendered_fields] != before:
                    changed.append(row)
            model._default_manager.bulk_update(changed, list(model.rendered_fields), batch_size=BATCH)
            if verbosity:
                self.stdout.write(f"{model._meta.verbose_name_plural}: {len(changed)} of {total} redrawn")

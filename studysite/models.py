"""Study sets and their notes: the container every quiz and deck belongs to."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse

from .rendering import RenderedMarkdownModel, SanitisedHTMLField, markdown_validators


def new_guid() -> str:
    """Identity across exports, so re-importing (here or into Anki) updates instead of duplicating."""
    return uuid.uuid4().hex


class StudySetQuerySet(models.QuerySet["StudySet"]):
    def with_counts(self) -> StudySetQuerySet:
        """Annotate the numbers shown on the home page, in one query."""
        return self.annotate(
            question_count=models.Count("quizzes__questions", distinct=True),
            card_count=models.Count("deck__cards", distinct=True),
            section_count=models.Count("note_sections", distinct=True),
        )


class StudySet(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(
        blank=True,
        validators=markdown_validators(10_000),
        help_text="Markdown; LaTeX between $ … $ or $$ … $$.",
    )

    objects = StudySetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("studyset-detail", args=[self.slug])

    def get_notes_url(self) -> str:
        return reverse("studyset-notes", args=[self.slug])


class NoteSection(RenderedMarkdownModel):
    """One section of a study set's notes; its anchor is the stable link target for questions and cards."""

    study_set = models.ForeignKey(StudySet, on_delete=models.CASCADE, related_name="note_sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    anchor = models.SlugField(max_length=80, help_text="Stable link target: changing it breaks links.")
    body = models.TextField(
        validators=markdown_validators(50_000), help_text="Markdown; LaTeX between $ … $ or $$ … $$."
    )
    body_html = SanitisedHTMLField()

    rendered_fields = {"body_html": ("body", False)}

    class Meta:
        ordering = ["study_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["study_set", "order"], name="unique_note_section_order"),
            models.UniqueConstraint(fields=["study_set", "anchor"], name="unique_note_section_anchor"),
        ]

    def __str__(self) -> str:
        return f"{self.study_set}: {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.study_set.get_notes_url()}#{self.anchor}"

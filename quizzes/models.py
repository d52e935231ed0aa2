"""Quizzes, their questions and the choices a learner picks from."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from studysite.models import NoteSection, StudySet


class QuizQuerySet(models.QuerySet["Quiz"]):
    def published(self) -> QuizQuerySet:
        return self.filter(published=True)


class Quiz(models.Model):
    study_set = models.OneToOneField(
        StudySet, on_delete=models.CASCADE, related_name="quiz", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    pass_mark = models.PositiveSmallIntegerField(
        default=70, validators=[MaxValueValidator(100)], help_text="Percentage needed to pass."
    )
    published = models.BooleanField(default=True, help_text="Unpublished quizzes are hidden from learners.")

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    text = models.TextField(help_text="Markdown; LaTeX between $ … $ or $$ … $$.")
    explanation = models.TextField(help_text="Shown after the learner answers. Markdown with LaTeX.")
    notes_section = models.ForeignKey(
        NoteSection,
        on_delete=models.SET_NULL,
        related_name="questions",
        null=True,
        blank=True,
        help_text="The section of the study notes this question tests.",
    )

    class Meta:
        ordering = ["quiz", "order"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "order"], name="unique_question_order"),
        ]

    def __str__(self) -> str:
        return f"Q{self.order}: {self.text[:60]}"

    @staticmethod
    def validate_choices(choices: Iterable[Choice]) -> None:
        """A single-answer question needs at least two choices and exactly one correct one.

        Admin and import both call this on the choices as they will be saved, so neither can leave
        a question that cannot be graded.
        """
        choices = list(choices)
        if len(choices) < 2:
            raise ValidationError("A question needs at least two choices.", code="too_few_choices")
        correct = sum(1 for choice in choices if choice.is_correct)
        if correct != 1:
            raise ValidationError(
                "A single-answer question needs exactly one correct choice; %(count)d are marked correct.",
                code="correct_choice_count",
                params={"count": correct},
            )
        orders = [choice.order for choice in choices]
        if len(set(orders)) != len(orders):
            raise ValidationError("Two choices of one question share an order.", code="duplicate_order")


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField()
    text = models.TextField(help_text="Markdown with LaTeX.")
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(help_text="Why this choice is right or wrong; shown when it is picked.")

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="unique_choice_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

"""Quizzes, their questions and the choices a learner picks from."""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rnnsim.fields import PlotSpecModelField, TemplateModelField, WhatIfModelField
from studysite.models import NoteSection, StudySet, new_guid
from studysite.rendering import RenderedMarkdownModel, SanitisedHTMLField, markdown_validators

from .certainty import mark as certainty_mark
from .qtypes import DEFAULT_KIND, TYPES, QuestionType, type_of, validate_kind
from .variants import asked, variant_choices


def random_62_bits() -> int:
    """A random seed or version that fits a signed 64-bit column on every database."""
    return secrets.randbits(62)


class QuizQuerySet(models.QuerySet["Quiz"]):
    def published(self) -> QuizQuerySet:
        return self.filter(published=True)


class Quiz(models.Model):
    study_set = models.ForeignKey(
        StudySet,
        on_delete=models.CASCADE,
        related_name="quizzes",
        null=True,
        blank=True,
        help_text="A study set may have several quizzes: one with fixed numbers and one of templates, say.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, validators=markdown_validators(10_000), help_text="Markdown.")
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    pass_mark = models.PositiveSmallIntegerField(
        default=70, validators=[MaxValueValidator(100)], help_text="Percentage needed to pass."
    )
    published = models.BooleanField(default=True, help_text="Unpublished quizzes are hidden from learners.")
    certainty_marking = models.BooleanField(
        "certainty-based marking",
        default=False,
        help_text=(
            "Learners say how sure they are (1, 2 or 3) as they submit: right earns 1, 2 or 3, wrong 0, −2 "
            "or −6 (Gardner-Medwin's scheme, as Moodle's CBM)."
        ),
    )
    content_version = models.BigIntegerField(
        default=random_62_bits,
        editable=False,
        help_text="Renewed at random on every change to the questions; keys their cache (quizzes.content).",
    )

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz-start", args=[self.slug])


class Question(RenderedMarkdownModel):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    kind = models.CharField(
        "type",
        max_length=20,
        default=DEFAULT_KIND,
        validators=[validate_kind],
        help_text="How it is answered and graded.",
    )
    options = models.JSONField(
        default=dict, blank=True, help_text="Settings of its type, such as all-or-nothing grading."
    )
    text = models.TextField(
        validators=markdown_validators(5_000), help_text="Markdown; LaTeX between $ … $ or $$ … $$."
    )
    explanation = models.TextField(
        blank=True,
        validators=markdown_validators(20_000),
        help_text="Shown after the learner answers. Markdown with LaTeX. Optional, but recommended.",
    )
    notes_section = models.ForeignKey(
        NoteSection,
        on_delete=models.SET_NULL,
        related_name="questions",
        null=True,
        blank=True,
        help_text="The section of the study notes this question tests.",
    )
    plot = PlotSpecModelField(
        "explanation plot", help_text="The simulation that shows the answer, drawn beside the explanation."
    )
    template = TemplateModelField(
        help_text=(
            "Makes this a question the simulation writes: each attempt draws its own parameters and the "
            "engine computes the key (rnnsim.core.templates). {{name}} in the text and explanation shows "
            "a drawn value, {{key}} the key; single braces stay LaTeX's, as in $\\rho^{k}$."
        ),
    )
    guid = models.CharField(
        max_length=64, unique=True, default=new_guid, editable=False, help_text="Identity across exports."
    )
    text_html = SanitisedHTMLField()
    explanation_html = SanitisedHTMLField()

    rendered_fields = {"text_html": ("text", True), "explanation_html": ("explanation", False)}
    variant = None  # set on the unsaved copy of a template question that an attempt asks

    class Meta:
        ordering = ["quiz", "order"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "order"], name="unique_question_order"),
        ]

    def __str__(self) -> str:
        return f"Q{self.order}: {self.text[:60]}"

    @property
    def type(self) -> QuestionType:
        return type_of(self)

    def validate_choices(self, choices: Iterable[Choice]) -> None:
        """Raise ValidationError unless these choices, as they will be saved, let the question be graded.

        Admin and import both call this, so neither can leave a question its type cannot grade. A
        template's choices come from its variants, which the template's own validation checks.
        """
        if self.template:
            wanted = "single" if self.template.get("choices") else "numerical"
            if self.kind != wanted:
                raise ValidationError(
                    f"A template with {'choices' if wanted == 'single' else 'a typed key'} is a "
                    f"{TYPES[wanted].label.lower()} question.",
                    code="template_kind",
                )
            return
        self.type.validate(self, list(choices))


class Misconception(models.Model):
    """A named, reusable wrong belief: what wrong answers point to, and what the feedback plays out.

    Answers keep the statement they were shown; editing or deleting a misconception changes no review.
    """

    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Its name in files and tags, e.g. larger-learning-rate-fixes-explosion.",
    )
    statement = models.CharField(
        max_length=300, help_text="The belief, in one sentence, as a learner would hold it."
    )
    notes_section = models.ForeignKey(
        NoteSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="misconceptions",
        help_text="The notes that correct it.",
    )
    whatif = WhatIfModelField(
        "what-if simulation",
        help_text="Optional: a simulation playing the belief out, shown beside a wrong answer's explanation.",
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.statement

    @property
    def shown(self) -> dict:
        """What an answer keeps of it."""
        return {"slug": self.slug, "statement": self.statement, "whatif": self.whatif}


class Choice(RenderedMarkdownModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField()
    text = models.TextField(
        blank=True,
        validators=markdown_validators(2_000),
        help_text="Markdown with LaTeX. Empty only for a matching question's extra answer.",
    )
    is_correct = models.BooleanField(default=False)
    match_text = models.TextField(
        "matches",
        blank=True,
        validators=markdown_validators(2_000),
        help_text="Matching only: the answer this item pairs with. With no item text, an extra wrong answer.",
    )
    tolerance = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Numerical only: how far from this value a response may be and still match it (±).",
    )
    weight = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=(
            "The credit, in %, it earns: multiple response (negative costs), or a partly right numerical or "
            "short answer. Empty: 100% if correct, else 0."
        ),
    )
    feedback = models.TextField(
        blank=True,
        validators=markdown_validators(10_000),
        help_text="Why this choice is right or wrong; shown when it is picked. Optional.",
    )
    plot = PlotSpecModelField(
        "feedback plot", help_text="Optional: a simulation shown with this choice's feedback."
    )
    misconception = models.ForeignKey(
        Misconception,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="choices",
        help_text="The wrong belief that picking (typing, pairing) it suggests.",
    )
    text_html = SanitisedHTMLField()
    feedback_html = SanitisedHTMLField()

    rendered_fields = {"text_html": ("text", True), "feedback_html": ("feedback", False)}

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="unique_choice_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def completed(self) -> AttemptQuerySet:
        """Finished with every question answered: the attempts that count for scores and exports."""
        return self.filter(finished_at__isnull=False, abandoned=False)

    def open(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)

    def abandon(self) -> int:
        """End these attempts unfinished: they stay in the learner's history, never as their best."""
        return self.open().update(finished_at=timezone.now(), abandoned=True)

    def owned_by(
        self, *, user: AbstractBaseUser | AnonymousUser, attempt_ids: Iterable[str]
    ) -> AttemptQuerySet:
        """Attempts of this learner: a user's own, or an anonymous session's listed ones."""
        if user.is_authenticated:
            return self.filter(user=user)
        return self.filter(user__isnull=True, public_id__in=list(attempt_ids))


class Attempt(models.Model):
    """One run through a quiz, with the question and choice order fixed when it starts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        null=True,
        blank=True,
        help_text="Empty while the attempt belongs to an anonymous session.",
    )
    question_ids = models.JSONField(help_text="The questions of this attempt, in the order they are asked.")
    shuffle_seed = models.PositiveBigIntegerField(default=random_62_bits, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    abandoned = models.BooleanField(
        default=False, help_text='Ended by "Start over" before every question was answered; never the best.'
    )
    score = models.FloatField(
        default=0, help_text="The sum of its answers' credits: 1 per fully right answer."
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "quiz", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(finished_at__isnull=True, user__isnull=False),
                name="one_open_attempt_per_learner_and_quiz",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quiz} attempt {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("attempt-resume", args=[self.public_id])

    @property
    def question_count(self) -> int:
        return len(self.question_ids)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def score_text(self) -> str:
        """The score as marks: "13", or "12.5" when partial credit leaves a fraction."""
        return f"{round(self.score, 2):g}"

    @property
    def score_percent(self) -> int:
        return round(100 * self.score / self.question_count) if self.question_count else 0

    @property
    def passed(self) -> bool:
        return self.score_percent >= self.quiz.pass_mark

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    @property
    def duration_text(self) -> str:
        """The time taken, as a person would say it: "4 min 12 s", "1 h 3 min"."""
        if self.duration is None:
            return ""
        seconds = int(self.duration.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            return f"{hours} h {minutes} min"
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"

    @property
    def duration_iso(self) -> str:
        return f"PT{int(self.duration.total_seconds())}S" if self.duration is not None else ""

    def position_of(self, question_id: int) -> int:
        """1-based position of a question in this attempt; ValueError if it is not part of it."""
        return self.question_ids.index(question_id) + 1

    def variant_seed(self, question: Question) -> str:
        return f"{self.shuffle_seed}:variant:{question.pk}"

    def asked(self, question: Question) -> Question:
        """The question as this attempt asks it: a template's is this attempt's own variant."""
        return asked(question, self.variant_seed(question))

    def ordered_choices(self, question: Question) -> list[Choice]:
        """The question's choices in this attempt's order: shuffled once per attempt, stable after."""
        if question.variant is not None:
            return variant_choices(question, self.variant_seed(question))
        choices = sorted(question.choices.all(), key=lambda choice: choice.order)
        if self.quiz.shuffle_choices:
            random.Random(f"{self.shuffle_seed}:{question.pk}").shuffle(choices)  # noqa: S311 - not security
        return choices

    def choice_token(self, choice: Choice) -> str:
        """The value a choice's radio button carries: opaque, so neither pk nor order hints at the answer."""
        identity = choice.pk if choice.pk is not None else f"variant-{choice.order}"
        return salted_hmac("quizzes.choice", f"{self.public_id}:{identity}", algorithm="sha256").hexdigest()[
            :20
        ]


class Answer(models.Model):
    """A learner's answer to one question of one attempt; stored once and never changed."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    # Content may be edited, re-imported or deleted after the answer; the answer stays, with what was shown.
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    picks = models.ManyToManyField(
        Choice, blank=True, related_name="answers", help_text="The choices the learner picked or ticked."
    )
    credit = models.FloatField(
        default=0, help_text="From 0 to 1, graded when answered, so later edits do not rewrite history."
    )
    is_correct = models.BooleanField(help_text="Full credit.")
    response_text = models.TextField(
        blank=True, validators=[MaxLengthValidator(500)], help_text="What the learner typed, for typed types."
    )
    shown = models.JSONField(
        default=dict,
        help_text="The question and its choices as the learner saw them (quizzes.snapshots).",
    )
    certainty = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, "1: not sure"), (2, "2: fairly sure"), (3, "3: sure")],
        help_text="How sure the learner said they were, in a quiz with certainty-based marking.",
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: question {self.question_id}, credit {self.credit:g}"

    @property
    def cbm_mark(self) -> float | None:
        """Its certainty-based mark, from −6 to 3; None when it was given without a certainty."""
        return certainty_mark(self.credit, self.certainty) if self.certainty else None

    @property
    def verdict(self) -> str:
        """Which class a page colours the answer by: "right", "partial" or "wrong"."""
        return "right" if self.is_correct else ("partial" if self.credit > 0 else "wrong")


class StagedImport(models.Model):
    """A file an instructor has previewed and not yet imported: one per instructor, the latest preview.

    The preview and the import read the same bytes, so what is imported is what was previewed.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=8)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    content = models.BinaryField()
    staged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.filename} for {self.user_id}"

"""Flashcard decks and their cards."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from rnnsim.fields import PlotSpecModelField, TemplateModelField
from studysite.models import NoteSection, StudySet, new_guid
from studysite.rendering import RenderedMarkdownModel, SanitisedHTMLField, markdown_validators


class Deck(models.Model):
    study_set = models.OneToOneField(
        StudySet, on_delete=models.CASCADE, related_name="deck", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, validators=markdown_validators(10_000), help_text="Markdown.")
    new_cards_per_day = models.PositiveIntegerField(
        default=20, help_text="New cards a learner meets per day."
    )
    reviews_per_day = models.PositiveIntegerField(
        default=200, help_text="Reviews a learner is shown per day."
    )
    desired_retention = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.99)],
        help_text="The probability of recall FSRS schedules for (0.7 to 0.99).",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deck-detail", args=[self.slug])


class CardQuerySet(models.QuerySet["Card"]):
    def with_notes_link(self) -> CardQuerySet:
        """Cards with the notes section (and its study set) their back's "Notes:" link reads, in one query."""
        return self.select_related("notes_section__study_set")

    def search(self, query: str) -> CardQuerySet:
        """Cards whose front, back or tags contain every word of the query."""
        cards = self
        for word in query.split():
            cards = cards.filter(
                models.Q(front__icontains=word)
                | models.Q(back__icontains=word)
                | models.Q(tags__icontains=word)
            )
        return cards


class Card(RenderedMarkdownModel):
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="cards")
    front = models.TextField(
        validators=markdown_validators(10_000), help_text="Markdown; LaTeX between $ … $ or $$ … $$."
    )
    back = models.TextField(
        validators=markdown_validators(10_000), help_text="Markdown; LaTeX between $ … $ or $$ … $$."
    )
    tags = models.CharField(max_length=500, blank=True, help_text="Space-separated, as in Anki.")
    notes_section = models.ForeignKey(
        NoteSection,
        on_delete=models.SET_NULL,
        related_name="cards",
        null=True,
        blank=True,
        help_text="The section of the study notes this card drills.",
    )
    plot = PlotSpecModelField("back plot", help_text="Optional: a simulation shown on the back of the card.")
    template = TemplateModelField(
        help_text=(
            "Makes this a card the simulation writes: each review draws new parameters and the engine "
            "computes the key. {{name}} on either face shows a drawn value, {{key}} the key."
        ),
    )
    guid = models.CharField(max_length=64, unique=True, default=new_guid, editable=False)
    # Markdown and math drawn once, when the card is saved or imported, so a deck page only copies HTML.
    front_html = SanitisedHTMLField()
    back_html = SanitisedHTMLField()

    objects = CardQuerySet.as_manager()
    rendered_fields = {"front_html": ("front", False), "back_html": ("back", False)}
    variant = None  # set on the unsaved copy of a template card that one review shows

    class Meta:
        ordering = ["deck", "id"]

    def __str__(self) -> str:
        return self.front[:80]

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class State(models.IntegerChoices):
    """FSRS's card states; a card a learner has never studied has no schedule row at all ("new")."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    def due_by(self, moment) -> ScheduleQuerySet:
        return self.filter(due__lte=moment)


class Schedule(models.Model):
    """One learner's FSRS memory state for one card. All times are UTC."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_schedules"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="schedules")
    state = models.PositiveSmallIntegerField(choices=State.choices)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    recheck_early = models.BooleanField(
        default=False,
        help_text="A confident wrong quiz answer: the next review that passes comes back within a day.",
    )

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "card"], name="one_schedule_per_learner_card")]

    def __str__(self) -> str:
        return f"{self.user} · {self.card}: {self.get_state_display()} due {self.due:%Y-%m-%d %H:%M}"


class Review(models.Model):
    """The review log: one row per rating, appended and never edited, except to mark it undone.

    It keeps the schedule as it was before the rating, so "undo" can restore it exactly.
    """

    class Rating(models.IntegerChoices):
        AGAIN = 1
        HARD = 2
        GOOD = 3
        EASY = 4

    class Source(models.TextChoices):
        STUDY = "study"
        QUIZ = "quiz", "quiz answer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_reviews")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.STUDY)
    was_new = models.BooleanField(help_text="The learner met this card for the first time.")
    state_before = models.PositiveSmallIntegerField(choices=State.choices, null=True, blank=True)
    step_before = models.PositiveSmallIntegerField(null=True, blank=True)
    stability_before = models.FloatField(null=True, blank=True)
    difficulty_before = models.FloatField(null=True, blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    last_review_before = models.DateTimeField(null=True, blank=True)
    recheck_early_before = models.BooleanField(default=False)
    due_after = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed_at", "id"]
        indexes = [models.Index(fields=["user", "reviewed_at"])]

    def __str__(self) -> str:
        return (
            f"{self.user} rated {self.card} {self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"
        )

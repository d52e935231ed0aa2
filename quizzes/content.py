"""The question a learner sees, read from the cache under its quiz's content version.

Every question page and every answer needs the question, its choices and its notes link: four
joined tables, and the costliest part of the page, that change only when an instructor edits the
quiz. They are cached under a key holding the quiz's ``content_version``, which the attempt's own
query already reads. Every change to that content gives the quiz a fresh random version (the
receivers below), after the change is written, so a request never reads an entry older than the
content it stands for. The version is random rather than counted so that no old value comes back:
a save from a stale Quiz instance, or a rolled-back transaction, cannot revive a stale entry.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from studysite.models import NoteSection, StudySet

from .models import Attempt, Choice, Misconception, Question, Quiz, random_62_bits

CACHE_SECONDS = 24 * 60 * 60


def cached_question(attempt: Attempt, question_id: int) -> Question | None:
    """The question with its choices (by order) and notes section, or None if it has been deleted."""
    key = f"quizzes:question:{question_id}:{attempt.quiz.content_version}"
    question = cache.get(key)
    if question is None:
        question = (
            Question.objects.select_related("notes_section__study_set")
            .prefetch_related(
                Prefetch("choices", queryset=Choice.objects.select_related("misconception").order_by("order"))
            )
            .filter(pk=question_id)
            .first()
        )
        if question is not None:
            cache.set(key, question, CACHE_SECONDS)
    return question


def renew_versions(quizzes: Q) -> None:
    Quiz.objects.filter(quizzes).update(content_version=random_62_bits())


@receiver(pre_save, sender=Quiz)
def renew_on_quiz_save(sender, instance: Quiz, **kwargs) -> None:
    """A quiz saved from an instance read before later edits must not write their old version back."""
    instance.content_version = random_62_bits()


@receiver(pre_save, sender=Question)
def remember_previous_quiz(sender, instance: Question, raw: bool = False, **kwargs) -> None:
    """A question may move to another quiz (an import matches it by GUID); its old quiz changes too.

    Choices never move: they are edited inline under their question and imports match them by order.
    """
    if instance.pk is None or raw:
        return
    previous = Question.objects.filter(pk=instance.pk).values_list("quiz_id", flat=True)
    instance._previous_quiz_id = previous.first()


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
def renew_on_question_change(sender, instance: Question, **kwargs) -> None:
    previous = getattr(instance, "_previous_quiz_id", None)
    renew_versions(Q(pk__in={instance.quiz_id, previous} - {None}))


@receiver(post_save, sender=Choice)
@receiver(post_delete, sender=Choice)
def renew_on_choice_change(sender, instance: Choice, **kwargs) -> None:
    renew_versions(Q(questions__pk=instance.question_id))


@receiver(post_save, sender=NoteSection)
@receiver(pre_delete, sender=NoteSection)
def renew_on_section_change(sender, instance: NoteSection, **kwargs) -> None:
    """Before a deletion, while the questions still point at the section (it sets theirs to NULL)."""
    renew_versions(Q(questions__notes_section=instance))


@receiver(post_save, sender=Misconception)
@receiver(pre_delete, sender=Misconception)
def renew_on_misconception_change(sender, instance: Misconception, **kwargs) -> None:
    """A new answer records the misconception its choice points to as it stands then."""
    renew_versions(Q(questions__choices__misconception=instance))


@receiver(post_save, sender=StudySet)
def renew_on_study_set_change(sender, instance: StudySet, **kwargs) -> None:
    """The study set's slug is part of every notes link."""
    renew_versions(Q(questions__notes_section__study_set=instance))

"""Starting attempts and grading answers: the only writes a learner makes to a quiz."""

from __future__ import annotations

import random

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Answer, Attempt, Question, Quiz
from .qtypes import Response
from .signals import answer_recorded
from .snapshots import snapshot

FULL_CREDIT = 1 - 1e-9  # credits are sums of weights: 33.3% three times is full credit


@transaction.atomic
def start_attempt(
    *, quiz: Quiz, user: AbstractBaseUser | AnonymousUser, replacing: Attempt | None = None
) -> Attempt:
    """Fix the question order for a new attempt, shuffled when the quiz asks for it.

    A learner has one open attempt per quiz: ``replacing`` is that attempt, abandoned here ("Start
    over"). For accounts the database enforces it, so of two racing starts the second gets the first.
    """
    question_ids = list(quiz.questions.order_by("order").values_list("pk", flat=True))
    if not question_ids:
        raise ValidationError("This quiz has no questions yet.", code="empty_quiz")
    if replacing is not None:
        Attempt.objects.filter(pk=replacing.pk).abandon()
    attempt = Attempt(quiz=quiz, user=user if user.is_authenticated else None, question_ids=question_ids)
    if quiz.shuffle_questions:
        random.Random(attempt.shuffle_seed).shuffle(attempt.question_ids)  # noqa: S311 - not security
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        return Attempt.objects.open().get(quiz=quiz, user=attempt.user)
    return attempt


@transaction.atomic
def submit_answer(
    *, attempt: Attempt, question: Question, response: Response, certainty: int | None = None
) -> tuple[Answer, bool]:
    """Store the learner's answer exactly once and grade it on the server, by the question's type.

    Returns the answer and whether this call created it. A repeated submission, even one racing
    the first, gets the stored answer back unchanged: the unique constraint decides the winner.
    """
    if question.pk not in attempt.question_ids:
        raise ValidationError("This question is not part of your attempt.", code="foreign_question")
    if any(choice.question_id != question.pk for choice in response.choices):
        raise ValidationError("That choice does not belong to this question.", code="foreign_choice")
    existing = Answer.objects.filter(attempt=attempt, question=question).first()
    if existing is not None:
        return existing, False
    choices = attempt.ordered_choices(question)
    graded = question.type.grade(question, choices, response)
    # The checks above are the whole validation: full_clean() would only re-query rows already loaded.
    answer = Answer(
        attempt=attempt,
        question=question,
        credit=graded.credit,
        is_correct=graded.credit >= FULL_CREDIT,
        response_text=response.text,
        certainty=certainty,
        shown=snapshot(question, choices, response, graded),
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        return Answer.objects.get(attempt=attempt, question=question), False
    answer.picks.set([choice for choice in graded.picks if choice.pk is not None])  # a variant's are unsaved
    Attempt.objects.filter(pk=attempt.pk).update(score=F("score") + graded.credit)
    answer_recorded.send(sender=Answer, answer=answer)
    if attempt.answers.count() == attempt.question_count:
        Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=answer.answered_at)
    attempt.refresh_from_db(fields=["score", "finished_at"])
    return answer, True

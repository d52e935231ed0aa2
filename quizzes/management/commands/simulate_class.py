"""A scripted class: learners of spread ability take a quiz, so an instructor sees the analytics fill in.

Each learner (an account named <prefix>-01, …) answers every question once, right with a probability
that grows with their ability; a wrong answer is one of the type's wrong responses, so the
distractors, and the misconceptions they point to, are picked. With certainty-based marking the
stronger learners say they are surer. The same seed scripts the same class.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from quizzes import grading
from quizzes.models import Quiz


class Command(BaseCommand):
    help = "Script a class of learners through a quiz, for item analysis, misconceptions and CBM in admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("quiz", help="The quiz's slug, e.g. rnn-gradients-bptt.")
        parser.add_argument("--learners", type=int, default=30)
        parser.add_argument("--prefix", default="class", help="Account names: <prefix>-01, <prefix>-02, …")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, quiz: str, learners: int, prefix: str, seed: int, **options) -> None:
        found = Quiz.objects.filter(slug=quiz).first()
        if found is None:
            raise CommandError(f"No quiz {quiz!r}.")
        if not 1 <= learners <= 500:
            raise CommandError("--learners: from 1 to 500.")
        names = [f"{prefix}-{number:02d}" for number in range(1, learners + 1)]
        if User.objects.filter(username__in=names).exists():
            raise CommandError(f"Accounts named {prefix}-… exist already: choose another --prefix.")
        rng = random.Random(seed)  # noqa: S311 - a reproducible class, not a secret
        with transaction.atomic():
            for number, name in enumerate(names):
                ability = 0.15 + 0.8 * number / max(learners - 1, 1)
                take(found, User.objects.create_user(name), ability, rng)
        self.stdout.write(self.style.SUCCESS(f"{learners} learners took {found.title}."))


def take(quiz: Quiz, learner: User, ability: float, rng: random.Random) -> None:
    """One learner's attempt, every question answered, right with probability ``ability``."""
    attempt = grading.start_attempt(quiz=quiz, user=learner)
    for question_id in attempt.question_ids:
        question = attempt.asked(quiz.questions.get(pk=question_id))
        choices = attempt.ordered_choices(question)
        right = rng.random() < ability
        response = question.type.sample_response(question, choices, right=right)
        if not right and len(response.choices) == 1:  # a wrong pick: any of the wrong choices, not one
            wrong = [choice for choice in choices if not choice.is_correct]
            response = type(response)(choices=(rng.choice(wrong),))
        certainty = (3 if ability > 0.7 else 2 if ability > 0.4 else 1) if quiz.certainty_marking else None
        grading.submit_answer(attempt=attempt, question=question, response=response, certainty=certainty)

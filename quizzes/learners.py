"""Who owns an attempt: a logged-in user, or the anonymous browser session that started it."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .models import Attempt, AttemptQuerySet

SESSION_KEY = "quiz_attempt_ids"


def learner_attempts(request: HttpRequest) -> AttemptQuerySet:
    """Every attempt the requesting learner may see; nobody else's."""
    return Attempt.objects.owned_by(user=request.user, attempt_ids=request.session.get(SESSION_KEY, []))


def remember_attempt(request: HttpRequest, attempt: Attempt) -> None:
    """Bind an anonymous attempt to this browser session."""
    if attempt.user_id is None:
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), str(attempt.public_id)]


@receiver(user_logged_in)
def claim_session_attempts(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Keep the attempts a learner made before logging in: they become the user's."""
    if request is None:
        return
    attempt_ids = request.session.pop(SESSION_KEY, [])
    if not attempt_ids:
        return
    claimed = Attempt.objects.filter(public_id__in=attempt_ids, user__isnull=True)
    # One open attempt per quiz: the one just worked on in this browser stays open, an older one ends.
    reopened = claimed.open().values_list("quiz_id", flat=True)
    Attempt.objects.filter(user=user, quiz_id__in=list(reopened)).abandon()
    claimed.update(user=user)

"""System checks for configurations that start fine and fail later, in front of a learner."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.mail, deploy=True)
def smtp_needs_a_host(app_configs, **kwargs) -> list[CheckMessage]:
    """Without a host every password-reset mail fails, after the page has told the learner it was sent."""
    mailers = getattr(settings, "MAILERS", {})
    return [
        Warning(
            f"The {name!r} mailer sends through SMTP but names no host, so password-reset mail will fail.",
            hint="Set DJANGO_EMAIL_HOST (and _PORT, _USERNAME, _PASSWORD), or choose another "
            "DJANGO_EMAIL_BACKEND.",
            id="studysite.W001",
        )
        for name, mailer in mailers.items()
        if mailer.get("BACKEND") == SMTP_BACKEND and not mailer.get("OPTIONS", {}).get("host")
    ]

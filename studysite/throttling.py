"""Bounds on what one visitor can make the site do: rate limits, and the page that says when to return.

Counts live in the default cache (django-ratelimit's fixed windows): per process by default, shared
by every worker and host once ``REDIS_URL`` names a Redis. Each limit's rate is a setting
(``"30/h"``: thirty per hour), listed in the README.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

Key = Callable[[str, HttpRequest], str]


def address_of(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind TRUSTED_PROXIES proxies, the address the
    outermost of them saw, counted from the right of ``X-Forwarded-For`` (entries further left are
    whatever the client chose to send, so they are never trusted)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_address(group: str, request: HttpRequest) -> str:
    """A rate-limit key: the client's address."""
    return address_of(request)


def learner(group: str, request: HttpRequest) -> str:
    """A logged-in learner by account, an anonymous one by browser session (created if need be)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


def seconds_over(request: HttpRequest, *, group: str, rate: str, key: Key) -> int | None:
    """Count this request against the limit: the seconds until its window ends if it is over, else None."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def first_over(request: HttpRequest, group: str, limits: list[tuple[str, Key]]) -> int | None:
    """Count the request against every (rate, key) limit; the longest wait of those it is over."""
    waits = [
        seconds_over(request, group=f"{group}:{key.__name__}", rate=rate, key=key) for rate, key in limits
    ]
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def in_words(seconds: int) -> str:
    """A wait as a person says it: "40 seconds", "3 minutes", "1 hour"."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def too_many_requests(request: HttpRequest, *, retry_after: int, message: str) -> HttpResponse:
    """429 with Retry-After; htmx requests get the message alone, to show in place."""
    template = "429.html#message" if request.htmx else "429.html"
    context = {"message": message, "wait": in_words(retry_after)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


AXES_USERNAME_LENGTH = 255  # django-axes' username column


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username django-axes counts failures for, cut to its column's length.

    Django's login form checks the username's length only in the browser, so any length reaches the
    backends; uncut, PostgreSQL refuses django-axes' row and the login answers 500.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout: after too many failed logins for an account or from an address."""
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = int(cool_off.total_seconds()) if isinstance(cool_off, timedelta) else 60
    return too_many_requests(
        request,
        retry_after=seconds,
        message="Too many failed logins for this account or from this address, so logging in is "
        "paused for your security. A forgotten password can be reset by email.",
    )

"""Pages about study sets: the home list, one set's overview, and its notes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from quizzes.models import Quiz

from .forms import SignUpForm
from .models import NoteSection, StudySet
from .throttling import client_address, first_over, too_many_requests
from .today import todays_work


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What to do today for a signed-in learner; for a visitor, what StudySite is and how to start."""
    context = {
        "study_sets": StudySet.objects.with_counts(),
        "today": todays_work(request) if request.user.is_authenticated else None,
        "first_quiz": Quiz.objects.published().order_by("pk").first(),  # the seed set's own quiz comes first
    }
    return render(request, "studysite/home.html", context)


@require_safe
def studyset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study_set = get_object_or_404(StudySet.objects.with_counts().select_related("deck"), slug=slug)
    quizzes = study_set.quizzes.annotate(
        question_count=Count("questions"),
        template_count=Count("questions", filter=Q(questions__template__isnull=False)),
    ).order_by("pk")
    if not request.user.is_staff:
        quizzes = quizzes.filter(published=True)
    return render(request, "studysite/studyset_detail.html", {"study_set": study_set, "quizzes": quizzes})


@require_safe
def studyset_notes(request: HttpRequest, slug: str) -> HttpResponse:
    study_set = get_object_or_404(
        StudySet.objects.prefetch_related(
            Prefetch(
                "note_sections",
                queryset=NoteSection.objects.annotate(card_count=Count("cards")),
            )
        ),
        slug=slug,
    )
    return render(request, "studysite/studyset_notes.html", {"study_set": study_set})


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and log straight in; attempts made so far in this browser come along."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.method == "POST" and (
        wait := first_over(request, "signup", [(settings.SIGNUPS_PER_ADDRESS, client_address)])
    ):
        return too_many_requests(
            request, retry_after=wait, message="Too many accounts have been created from this address."
        )
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}: your account is created and you are logged in.")
        return redirect(next_url or "home")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": next_url}, status=status)

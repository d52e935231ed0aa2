"""Pages about study sets: the home list, one set's overview, and its notes."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import NoteSection, StudySet


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    study_sets = StudySet.objects.with_counts()
    return render(request, "studysite/home.html", {"study_sets": study_sets})


@require_GET
def studyset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study_set = get_object_or_404(StudySet.objects.with_counts().select_related("deck"), slug=slug)
    return render(request, "studysite/studyset_detail.html", {"study_set": study_set})


@require_GET
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

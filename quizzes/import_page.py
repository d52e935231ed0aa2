"""Instructors import GIFT, Moodle XML or StudySite JSON in two steps: a preview, then all of it or nothing.

The preview runs the import as a dry run and keeps the uploaded bytes (one file per instructor, for an
hour). The import reads those bytes again and goes ahead only if they would still do what the preview
listed: a quiz edited in between gets a fresh preview instead of a surprise.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from studysite.exchange import MAX_BYTES, ImportRejected, read_upload

from . import importing
from .models import Quiz, StagedImport

PREVIEW_LIFETIME = timedelta(hours=1)
TEMPLATE = "quizzes/import.html"


class QuizImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            f"Moodle GIFT (.txt, .gift), Moodle XML (.xml) or StudySite JSON; at most {MAX_BYTES >> 20} MiB."
        )
    )
    format = forms.ChoiceField(
        choices=[
            ("", "By the file's name"),
            ("gift", "GIFT"),
            ("xml", "Moodle XML"),
            ("json", "StudySite JSON"),
        ],
        required=False,
    )
    quiz = forms.ModelChoiceField(
        Quiz.objects.all(),
        required=False,
        help_text="For GIFT and Moodle XML: the quiz to import into. StudySite JSON names its own quiz.",
    )


def fingerprint(content: bytes, result: importing.QuizImportResult) -> str:
    """What a preview promised: the file, and every change, skip, warning and new misconception it listed."""
    digest = hashlib.sha256(content)
    for line in [*map(str, result.actions), *result.skipped, *result.warnings, *result.new_misconceptions]:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def stage(request: HttpRequest, upload, fmt: str, quiz: Quiz | None, content: bytes) -> StagedImport:
    """Keep the previewed file, replacing this instructor's last one; stale previews go."""
    StagedImport.objects.filter(staged_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
    staged, _ = StagedImport.objects.update_or_create(
        user=request.user,
        defaults={
            "filename": upload.name[:255],
            "fmt": fmt,
            "quiz": quiz,
            "content": content,
            "staged_at": timezone.now(),
        },
    )
    return staged


def preview_page(
    request, staged: StagedImport, result, *, notice: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "staged": staged,
        "result": result,
        "fingerprint": fingerprint(bytes(staged.content), result),
        "notice": notice,
    }
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def quiz_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do; nothing is written until it is confirmed."""
    if request.method == "POST" and "staged" in request.POST:
        return apply_staged(request)
    form = QuizImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": form})
    if form.is_valid():
        upload, quiz = form.cleaned_data["file"], form.cleaned_data["quiz"]
        fmt = form.cleaned_data["format"] or importing.format_of(upload.name)
        try:
            content = read_upload(upload)
            result = importing.import_quiz(content, fmt=fmt, quiz=quiz, dry_run=True)
        except ImportRejected as error:
            form.add_error("file", error.problems)
        else:
            return preview_page(request, stage(request, upload, fmt, quiz, content), result)
    return render(request, TEMPLATE, {"form": form, "rejected": True}, status=400)


def apply_staged(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, provided it still does what its preview said."""
    key = request.POST["staged"]
    staged = StagedImport.objects.filter(user=request.user, pk=key).first() if key.isdigit() else None
    if staged is None or staged.staged_at < timezone.now() - PREVIEW_LIFETIME:
        return render(request, TEMPLATE, {"form": QuizImportForm(), "expired": True}, status=410)
    content = bytes(staged.content)
    try:
        expected = importing.import_quiz(content, fmt=staged.fmt, quiz=staged.quiz, dry_run=True)
        if fingerprint(content, expected) != request.POST.get("fingerprint"):
            notice = (
                "The quiz changed after your preview, so nothing was imported. "
                "This is what the file would do now."
            )
            return preview_page(request, staged, expected, notice=notice, status=409)
        result = importing.import_quiz(content, fmt=staged.fmt, quiz=staged.quiz)
    except ImportRejected as error:
        form = QuizImportForm()
        form.add_error(None, error.problems)
        return render(request, TEMPLATE, {"form": form, "rejected": True}, status=409)
    staged.delete()
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    messages.success(
        request,
        f"Imported {staged.filename} into {result.quiz.title}: {result.created} new questions, "
        f"{result.updated} updated{skipped}.",
    )
    return redirect(reverse("admin:quizzes_quiz_change", args=[result.quiz.pk]))

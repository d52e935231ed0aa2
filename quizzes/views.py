"""The learner's path through a quiz: start, one question at a time, results, and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from rnnsim.figures import attach_plots
from studysite.downloads import attachment
from studysite.note_exports import rows_apkg, rows_csv, rows_tsv
from studysite.throttling import client_address, first_over, learner, too_many_requests

from . import content, grading, snapshots
from .certainty import BUTTONS, confident_errors_first, read_certainty, report
from .charts import score_chart
from .exporting import export_gift, export_moodle_xml, quiz_rows
from .learners import learner_attempts, remember_attempt
from .misconceptions import seen_beliefs, suggest, with_cards
from .models import Answer, Attempt, Choice, Question, Quiz
from .qtypes import Offer, ResponseError
from .variants import asked, variant_choices

PREVIEW_SEED = "preview"  # an instructor's preview shows one variant of a template, always the same


def visible_quizzes(request: HttpRequest):
    """Learners see published quizzes only; staff also see drafts, to check them before publishing."""
    quizzes = Quiz.objects.select_related("study_set")
    return quizzes if request.user.is_staff else quizzes.published()


def get_attempt(request: HttpRequest, public_id) -> Attempt:
    """The learner's own attempt, or 404: another learner's attempt is indistinguishable from none."""
    try:
        return learner_attempts(request).select_related("quiz").get(public_id=public_id)
    except Attempt.DoesNotExist:
        raise Http404("There is no attempt of yours at this address.") from None


def get_attempt_question(attempt: Attempt, question_id: int) -> Question:
    if question_id not in attempt.question_ids:
        raise Http404("This question is not part of your attempt.")
    question = content.cached_question(attempt, question_id)
    if question is None:
        raise Http404("This question has been removed from the quiz.")
    return question


def next_question_url(attempt: Attempt, answered_ids: set[int]) -> str:
    for question_id in attempt.question_ids:
        if question_id not in answered_ids:
            return reverse("attempt-question", args=[attempt.public_id, question_id])
    return reverse("attempt-results", args=[attempt.public_id])


@require_safe
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(visible_quizzes(request), slug=slug)
    return render(request, "quizzes/quiz_start.html", start_context(request, quiz))


def start_context(request: HttpRequest, quiz: Quiz) -> dict:
    attempts = learner_attempts(request).filter(quiz=quiz)
    completed = attempts.completed()
    in_progress = attempts.open().order_by("-started_at").first()
    return {
        "quiz": quiz,
        "question_count": quiz.questions.count(),
        "last": completed.order_by("-finished_at").first(),
        "best": completed.order_by("-score", "finished_at").first(),
        "in_progress": in_progress,
        "in_progress_answered": in_progress.answers.count() if in_progress else 0,
        "may_export": may_export(request, quiz),
    }


@require_POST
def attempt_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Resume the learner's open attempt, or with "Start over" abandon it and begin a new one."""
    quiz = get_object_or_404(visible_quizzes(request), slug=slug)
    current = learner_attempts(request).filter(quiz=quiz).open().order_by("-started_at").first()
    if current is not None and request.POST.get("start_over") != "1":
        return redirect("attempt-resume", current.public_id)
    limits = [(settings.ATTEMPTS_PER_LEARNER, learner), (settings.ATTEMPTS_PER_ADDRESS, client_address)]
    if wait := first_over(request, "attempt-start", limits):
        return too_many_requests(
            request, retry_after=wait, message="You have started this quiz many times in a short while."
        )
    try:
        attempt = grading.start_attempt(quiz=quiz, user=request.user, replacing=current)
    except ValidationError as error:
        context = start_context(request, quiz) | {"error": error.messages[0]}
        return render(request, "quizzes/quiz_start.html", context, status=409)
    remember_attempt(request, attempt)
    return redirect("attempt-question", attempt.public_id, attempt.question_ids[0])


def closed_attempt(request: HttpRequest, attempt: Attempt) -> HttpResponse | None:
    """An open attempt at a quiz its instructor has since unpublished cannot go on; say why."""
    if attempt.is_finished or attempt.quiz.published or request.user.is_staff:
        return None
    return render(request, "quizzes/attempt_closed.html", {"attempt": attempt}, status=410)


@require_safe
def attempt_resume(request: HttpRequest, public_id) -> HttpResponse:
    attempt = get_attempt(request, public_id)
    if closed := closed_attempt(request, attempt):
        return closed
    answered = set(attempt.answers.values_list("question_id", flat=True))
    return redirect(next_question_url(attempt, answered))


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def attempt_question(request: HttpRequest, public_id, question_id: int) -> HttpResponse:
    attempt = get_attempt(request, public_id)
    if closed := closed_attempt(request, attempt):
        return closed
    question = attempt.asked(get_attempt_question(attempt, question_id))
    choices = attempt.ordered_choices(question)
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    answer = answers.get(question.pk)
    error, status = "", 200

    if request.method == "POST" and answer is not None and not request.htmx:
        return redirect("attempt-question", attempt.public_id, question.pk)  # already answered: show it
    offer = Offer(attempt, [(attempt.choice_token(choice), choice) for choice in choices])
    if request.method == "POST" and answer is None:
        try:
            response = question.type.read(request.POST, offer)
            certainty = read_certainty(request.POST) if attempt.quiz.certainty_marking else None
        except ResponseError as problem:
            error, status = str(problem), 400
        else:
            answer, _ = grading.submit_answer(
                attempt=attempt, question=question, response=response, certainty=certainty
            )
            answers[question.pk] = answer
        if not request.htmx and not error:
            return redirect("attempt-question", attempt.public_id, question.pk)

    seen = None
    if answer is not None:
        seen = snapshots.shown(answer, notes=question.notes_section)
        attach_plots(seen.figure_objects, wait=seen.variant is None)  # a variant's plot follows the feedback
        attach_plots(suggest([seen]))  # the what-ifs: a fixed few, rendered ahead by render_plots
    context = {
        "attempt": attempt,
        "question": question,
        "position": attempt.position_of(question.pk),
        "answered_count": len(answers),
        "choices": choices,
        "answer_options": offer.options,
        "answer": answer,
        "shown": seen,
        "next_url": next_question_url(attempt, set(answers)) if answer else "",
        "error": error,
        "certainty_buttons": BUTTONS if attempt.quiz.certainty_marking else (),
        **question.type.input_context(offer),
    }
    template_name = "quizzes/question.html"
    if request.htmx:
        template_name += "#question-card"
    return render(request, template_name, context, status=status)


@require_safe
def attempt_results(request: HttpRequest, public_id) -> HttpResponse:
    attempt = get_attempt(request, public_id)
    if not attempt.is_finished:
        return redirect("attempt-resume", attempt.public_id)
    position = {question_id: index for index, question_id in enumerate(attempt.question_ids)}
    answers = sorted(
        attempt.answers.select_related("question__notes_section__study_set"),
        key=lambda answer: (position.get(answer.question_id, len(position)), answer.answered_at),
    )
    marked = report(answers) if any(answer.certainty for answer in answers) else None
    if marked is not None:
        answers = confident_errors_first(answers)
    review = [
        {
            "answer": answer,
            "shown": snapshots.shown(answer, notes=answer.question and answer.question.notes_section),
        }
        for answer in answers
    ]
    shown = [item["shown"] for item in review]
    attach_plots(obj for seen in shown if seen.variant is None for obj in seen.figure_objects)
    # Variants' plots are each learner's own, rarely drawn yet: they follow the page rather than delay it.
    attach_plots(
        (obj for seen in shown if seen.variant is not None for obj in seen.figure_objects), wait=False
    )
    suggested = suggest(shown)
    attach_plots(suggested)
    with_cards(suggested)
    context = {"attempt": attempt, "review": review, "suggested": suggested, "cbm": marked}
    return render(request, "quizzes/results.html", context)


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    attempts = learner_attempts(request).select_related("quiz").order_by("quiz__title", "started_at")
    by_quiz: dict[Quiz, list[Attempt]] = {}
    for attempt in attempts:
        by_quiz.setdefault(attempt.quiz, []).append(attempt)
    quizzes = [
        {
            "quiz": quiz,
            "attempts": list(reversed(items)),
            "chart": score_chart(items, pass_mark=quiz.pass_mark),
        }
        for quiz, items in by_quiz.items()
    ]
    beliefs = seen_beliefs(Answer.objects.filter(attempt__in=attempts))
    return render(request, "quizzes/progress.html", {"quizzes": quizzes, "beliefs": beliefs})


@require_safe
@staff_member_required
def question_preview(request: HttpRequest, question_id: int) -> HttpResponse:
    """The question exactly as a learner first sees it, for instructors checking their work."""
    question = get_object_or_404(
        Question.objects.select_related("quiz").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order"))
        ),
        pk=question_id,
    )
    question = asked(question, PREVIEW_SEED)
    choices = variant_choices(question, PREVIEW_SEED) if question.variant else question.choices.all()
    context = {
        "question": question,
        "position": question.order,
        "total": question.quiz.questions.count(),
    }
    offer = Offer(None, [(f"preview-{choice.order}", choice) for choice in choices])
    context |= {"answer_options": offer.options, **question.type.input_context(offer)}
    return render(request, "quizzes/question_preview.html", context)


QUIZ_EXPORTS = {
    "apkg": (
        "application/octet-stream",
        lambda quiz: rows_apkg(quiz.title, f"quiz:{quiz.slug}", quiz_rows(quiz)),
    ),
    "csv": ("text/csv; charset=utf-8", lambda quiz: rows_csv(quiz_rows(quiz))),
    "tsv": ("text/tab-separated-values; charset=utf-8", lambda quiz: rows_tsv(quiz_rows(quiz))),
    "gift": ("text/plain; charset=utf-8", export_gift),
    "xml": ("application/xml", export_moodle_xml),
}


def may_export(request: HttpRequest, quiz: Quiz) -> bool:
    """An export shows every answer, so learners get it once they have finished the quiz; staff always."""
    return request.user.is_staff or learner_attempts(request).filter(quiz=quiz).completed().exists()


@require_safe
def quiz_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    quiz = get_object_or_404(visible_quizzes(request), slug=slug)
    if not may_export(request, quiz):
        return HttpResponseForbidden("Finish the quiz once to download it with its answers.")
    content_type, export = QUIZ_EXPORTS[fmt]
    extension = "gift.txt" if fmt == "gift" else fmt
    return attachment(export(quiz), content_type=content_type, filename=f"{quiz.slug}.{extension}")

from django.urls import path, re_path

from . import import_page, views

urlpatterns = [
    path("quizzes/import/", import_page.quiz_import, name="quiz-import"),  # as decks/import/ is for decks
    path("quizzes/<slug:slug>/", views.quiz_start, name="quiz-start"),
    path("quizzes/<slug:slug>/attempts/", views.attempt_start, name="attempt-start"),
    path("attempts/<uuid:public_id>/", views.attempt_resume, name="attempt-resume"),
    path(
        "attempts/<uuid:public_id>/questions/<int:question_id>/",
        views.attempt_question,
        name="attempt-question",
    ),
    path("attempts/<uuid:public_id>/results/", views.attempt_results, name="attempt-results"),
    path("progress/", views.progress, name="progress"),
    re_path(
        r"^quizzes/(?P<slug>[-\w]+)/export\.(?P<fmt>apkg|csv|tsv|gift|xml)$",
        views.quiz_export,
        name="quiz-export",
    ),
    path("preview/questions/<int:question_id>/", views.question_preview, name="question-preview"),
]

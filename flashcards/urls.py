from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.deck_list, name="deck-list"),
    path("import/", views.deck_import, name="deck-import"),
    path("<slug:slug>/", views.deck_detail, name="deck-detail"),
    path("<slug:slug>/study/", views.study, name="deck-study"),
    path("<slug:slug>/study/cards/<int:card_id>/", views.study_answer, name="deck-study-answer"),
    path("<slug:slug>/study/cards/<int:card_id>/rate/", views.study_rate, name="deck-study-rate"),
    path("<slug:slug>/study/undo/", views.study_undo, name="deck-study-undo"),
    path("<slug:slug>/cram/", views.cram, name="deck-cram"),
    path("<slug:slug>/stats/", views.deck_stats, name="deck-stats"),
    re_path(r"^(?P<slug>[-\w]+)/export\.(?P<fmt>json|csv|tsv|apkg)$", views.deck_export, name="deck-export"),
]

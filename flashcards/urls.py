from django.urls import path

from . import views

urlpatterns = [
    path("", views.deck_list, name="deck-list"),
    path("<slug:slug>/", views.deck_detail, name="deck-detail"),
]

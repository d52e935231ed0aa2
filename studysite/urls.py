from django.contrib import admin
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sets/<slug:slug>/", views.studyset_detail, name="studyset-detail"),
    path("sets/<slug:slug>/notes/", views.studyset_notes, name="studyset-notes"),
    path("decks/", include("flashcards.urls")),
    path("", include("quizzes.urls")),
    path("", include("rnnsim.urls")),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", health.liveness, name="healthz"),
    path("favicon.ico", health.favicon, name="favicon"),
]

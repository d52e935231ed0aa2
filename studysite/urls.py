from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sets/<slug:slug>/", views.studyset_detail, name="studyset-detail"),
    path("sets/<slug:slug>/notes/", views.studyset_notes, name="studyset-notes"),
    path("decks/", include("flashcards.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

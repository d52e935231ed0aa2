from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from . import learners  # noqa: F401 - connects the login signal that keeps anonymous attempts

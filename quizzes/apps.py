from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from . import (  # noqa: F401 - connect their receivers
            content,  # renews a quiz's content version when its questions change
            learners,  # keeps anonymous attempts when their learner logs in
        )

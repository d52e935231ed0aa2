from django.apps import AppConfig


class StudysiteConfig(AppConfig):
    name = "studysite"
    verbose_name = "Study sets and notes"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks

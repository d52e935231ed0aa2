from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "flashcards"

    def ready(self) -> None:
        from . import scheduling  # noqa: F401 - connects the quiz signal that reschedules cards

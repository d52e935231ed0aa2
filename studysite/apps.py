from django.apps import AppConfig


class StudysiteConfig(AppConfig):
    name = "studysite"
    verbose_name = "Study sets and notes"

from django.apps import AppConfig


class RnnsimConfig(AppConfig):
    name = "rnnsim"
    verbose_name = "RNN simulations"

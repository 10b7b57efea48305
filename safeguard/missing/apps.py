from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguard.missing"
    label = "missing"
    verbose_name = "Missing episodes and return interviews"

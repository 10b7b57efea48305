from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "safeguard.language"
    label = "language"
    verbose_name = "Language check"

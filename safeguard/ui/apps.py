from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "safeguard.ui"
    label = "ui"
    verbose_name = "User interface"

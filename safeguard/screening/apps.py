from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safeguard.screening"
    label = "screening"
    verbose_name = "Screening (Form A and Form B)"

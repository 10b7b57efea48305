from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    label = "access"
    verbose_name = "Access to child records"

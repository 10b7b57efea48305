from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safeguard.notifications"
    label = "notifications"
    verbose_name = "Tasks and notifications"

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "safeguard.meetings"
    label = "meetings"
    verbose_name = "Meetings, panels and actions"

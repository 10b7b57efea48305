from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "safeguard.guidance"
    label = "guidance"
    verbose_name = "Guidance, resources and who to call"

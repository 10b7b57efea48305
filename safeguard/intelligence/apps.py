from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "safeguard.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence: people, vehicles, phones, places and their links to children"

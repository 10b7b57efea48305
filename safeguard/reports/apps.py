from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguard.reports"
    label = "reports"
    verbose_name = "Reports, dashboards and training records"

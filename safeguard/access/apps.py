from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    label = "access"
    verbose_name = "Access to child records"

    def ready(self) -> None:
        """What a request remembers of the access policy is forgotten when any record that grants
        access is saved or deleted (``memo.py``)."""
        from .meetings import MODELS_GRANTING_ACCESS
        from .memo import forget_on_change
        from .models import BreakGlassAccess

        forget_on_change([BreakGlassAccess, *MODELS_GRANTING_ACCESS])

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class RecordsConfig(AppConfig):
    name = "safeguard.records"
    label = "records"
    verbose_name = "Records management: retention, legal hold, disposal and subject access"

    def ready(self) -> None:
        """A retention setting that names no rule (or no kind of agency) stops the process: a typo
        must not silently leave the default period in force."""
        from django.conf import settings

        from safeguard.accounts.models import AgencyKind
        from safeguard.rules.retention import RULES

        codes = {rule.code for rule in RULES}
        allowed = codes | {f"{code}_{kind}" for code in codes for kind in AgencyKind.values}
        for key in getattr(settings, "SAFEGUARD_RETENTION_YEARS", {}) or {}:
            if key not in allowed:
                raise ImproperlyConfigured(
                    f"SAFEGUARD_RETENTION_{key.upper()}_YEARS names no retention rule: use one of "
                    f"{', '.join(sorted(codes))}, optionally followed by an agency kind")

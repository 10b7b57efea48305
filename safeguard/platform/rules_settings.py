"""The one bridge from settings to the rules package's local-policy thresholds."""

from __future__ import annotations

from django.conf import settings

from safeguard.rules.params import Params


def rules_params() -> Params:
    """The thresholds the handbook leaves to local policy (``SAFEGUARD_RULE_<NAME>`` settings; the
    defaults and what each means are in docs/rules.md)."""
    return Params.from_mapping(getattr(settings, "SAFEGUARD_RULES", None) or {})

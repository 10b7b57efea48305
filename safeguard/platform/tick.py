"""The scheduled checks that ``safeguard tick`` runs (issue 6 item 3): time-based alerts.

Each app keeps its checks in its own ``tick.py``, found by autodiscovery as ``admin.py`` is, and
registers each one with the decorator::

    from safeguard.platform.tick import tick_check

    @tick_check
    def interviews_due_alert(*, now) -> int: ...

A check takes ``now`` (keyword-only) and returns how many alerts or tasks it raised (or None). An
app that is not installed has no checks. An app whose ``tick.py`` does not import is reported as
failed (a typo must not silently stop an alert), and the other apps' checks still run; so does a
check that raises. Every check must be idempotent: running tick twice raises nothing twice (use
dedupe keys). A check that changes a child's file acts with ``system_access(child)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

MODULE = "tick"

Check = Callable[..., int | None]

_registry: dict[str, Check] = {}

def tick_check(check: Check) -> Check:
    """Register ``check`` to run on every ``safeguard tick``. Registering it twice is harmless."""
    _registry[check_name(check)] = check
    return check


def check_name(check: Check) -> str:
    return f"{check.__module__}.{check.__qualname__}"


@dataclass(frozen=True)
class CheckResult:
    path: str
    status: str  # ran | failed
    raised: int = 0
    problem: str = ""


def _problem(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def tick_discover() -> list[CheckResult]:
    """Import every installed app's ``tick.py`` (which registers its checks). Returns a failed
    result for each module that would not load."""
    failures = []
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, MODULE):
            continue
        path = f"{app_config.name}.{MODULE}"
        try:
            import_module(path)
        except Exception as error:  # an installed app whose tick module does not import
            logger.exception("scheduled checks in %s could not be loaded", path)
            failures.append(CheckResult(path, "failed", problem=_problem(error)))
    return failures


def tick_checks() -> list[Check]:
    """Every registered check, after discovery."""
    tick_discover()
    return list(_registry.values())


def tick_run(*, now: datetime, checks: Sequence[Check] | None = None) -> list[CheckResult]:
    """Run every check (or only ``checks``). One that fails is reported and logged; the others
    still run."""
    results = []
    if checks is None:
        results.extend(tick_discover())
        checks = list(_registry.values())
    for check in checks:
        name = check_name(check)
        try:
            raised = check(now=now)
        except Exception as error:  # one broken check must not stop the alerts of the others
            logger.exception("scheduled check %s failed", name)
            results.append(CheckResult(name, "failed", problem=_problem(error)))
            continue
        results.append(CheckResult(name, "ran", raised=raised if isinstance(raised, int) else 0))
    return results

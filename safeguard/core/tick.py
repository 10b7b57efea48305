"""The scheduled checks that ``safeguard tick`` runs (issue 6 item 3): time-based alerts.

Each entry of ``CHECKS`` is the dotted path of a callable taking ``now`` (keyword-only) and
returning how many alerts or tasks it raised (or None). An app plugs in by adding one line here. A
check whose module or function cannot be found is reported as failed (a typo must not silently
stop an alert), and the others still run. A check of an app that is not installed is skipped.
Every check must be idempotent: running tick twice raises nothing twice (use dedupe keys).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

logger = logging.getLogger(__name__)

CHECKS: list[str] = [
    # Return interviews due within a day, and overdue (handbook §14.1).
    "safeguard.missing.services.interviews_due_alert",
    # Approvals not given in time are escalated (§9.7): the referrals app.
    "safeguard.referrals.services.approvals_escalate_overdue",
    # Screenings due for review (§16): the screening app.
    "safeguard.screening.services.screening_reviews_due_alert",
    # Seal waiting audit events into the chain, and anchor its head outside the database daily.
    "safeguard.audit.services.audit_tick",
]


@dataclass(frozen=True)
class CheckResult:
    path: str
    status: str  # ran | skipped | failed
    raised: int = 0
    problem: str = ""


def _load(path: str) -> Callable | None:
    """The check, or None if its app is not installed. A module or function that cannot be found
    raises, so the check is reported failed."""
    module_name, _, attribute = path.rpartition(".")
    app = ".".join(module_name.split(".")[:2])
    if app.startswith("safeguard.") and not apps.is_installed(app):
        return None
    module = importlib.import_module(module_name)
    found = getattr(module, attribute, None)
    if not callable(found):
        raise LookupError(f"no check called {attribute} in {module_name}")
    return found


def tick_run(*, now: datetime, checks: list[str] | None = None) -> list[CheckResult]:
    """Run every check in order. One that fails is reported and logged; the others still run."""
    results = []
    for path in CHECKS if checks is None else checks:
        try:
            check = _load(path)
        except Exception as error:  # an installed app whose module does not import
            logger.exception("scheduled check %s could not be loaded", path)
            results.append(CheckResult(path, "failed", problem=f"{type(error).__name__}: {error}"[:200]))
            continue
        if check is None:
            results.append(CheckResult(path, "skipped"))
            continue
        try:
            raised = check(now=now)
        except Exception as error:  # one broken check must not stop the alerts of the others
            logger.exception("scheduled check %s failed", path)
            results.append(CheckResult(path, "failed", problem=f"{type(error).__name__}: {error}"[:200]))
            continue
        results.append(CheckResult(path, "ran", raised=raised if isinstance(raised, int) else 0))
    return results

"""Benchmark set-up, run by bench/run.py in the same environment as the server it will start.

Loads the synthetic data set if the database has none, adds what the panel and intelligence pages
need (``safeguard.core.bench.scenarios``: only what is missing), then signs in the benchmark personas by
writing their sessions straight into the session store, each with a confirmed one-time-password
device marked as verified in the session: two-factor is satisfied exactly as a real sign-in leaves
it, and no setting of the product relaxes it. Prints a JSON description of what to request.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent


def main(scale: str, planted_path: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from safeguard.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from safeguard.accounts.models import User
    from safeguard.accounts.step_up import STEP_UP_AT
    from safeguard.children.models import Child
    from safeguard.core.bench.generate import PERSONAS

    call_command("migrate", interactive=False, verbosity=0)
    load_seconds = None
    if not Child.objects.exists():
        started = time.monotonic()
        call_command("bench-data", scale=scale, planted=str(planted_path), stdout=sys.stderr)
        load_seconds = round(time.monotonic() - started, 1)
    elif not planted_path.exists():
        sys.exit(f"The database holds data but {planted_path} is missing: load the data set again.")
    planted = json.loads(planted_path.read_text())

    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    now = int(time.time())
    for username, _agency, _roles in PERSONAS:
        user = User.objects.get(username=username)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SESSION_STARTED] = session[SESSION_SEEN] = now
        session[STEP_UP_AT] = now  # the code given at sign-in, as the two-factor step records it
        session.create()
        sessions[username.removeprefix("bench.")] = session.session_key

    from safeguard.core.bench.scenarios import scenario_data

    ordinary = planted["queries"][0]["child_id"]
    # The panel meeting whose agenda the chair builds, and the pairs the link save links.
    scenario = scenario_data(scale)
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autoanalyze keeps them on a running system: earlier runs left
        # thousands of audit events and sessions the statistics of the load never saw (this machine's
        # PostgreSQL runs with autovacuum off), and a stale count makes the planner pick a wrong index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "scale": scale,
        "vendor": connection.vendor,
        "load_seconds": load_seconds,
        "counts": {"children": Child.objects.count(), **scenario.pop("counts")},
        "sessions": sessions,
        "heavy_child": planted["heavy_children"][0],
        "ordinary_child": ordinary,
        "planted": planted["queries"],
        **scenario,
    }


def time_tick() -> list[float]:
    """`safeguard tick` twice in one process (so start-up is not counted): the first run raises what
    is due, the second has nothing left to raise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()
    from io import StringIO

    from django.core.management import call_command

    took = []
    for _ in range(2):
        began = time.monotonic()
        call_command("tick", stdout=StringIO())
        took.append(round(time.monotonic() - began, 2))
    return took


if __name__ == "__main__":
    if sys.argv[1] == "tick":
        print(json.dumps(time_tick()))
    else:
        print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))

"""`make test-fault`: PostgreSQL restarted under load; the product answers 503, recovers by itself,
writes nothing by halves, and its audit chain still verifies (docs/reliability.md).

    .venv/bin/python bench/fault.py [--writers 3] [--readers 2] [--before 6] [--after 12]

Loopback only and bounded: a fresh database of its own (FAULT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/safeguard_fault), gunicorn on a free 127.0.0.1 port with
production settings, ``--writers`` threads recording observations through the API (each with its
own marker) and ``--readers`` threads reading a child's page and chronology. After ``--before``
seconds the machine's PostgreSQL cluster is restarted once (``pg_ctlcluster 15 main restart -m
fast``; FAULT_RESTART_COMMAND to change it); the load goes on until ``--after`` seconds after it is
back, then stops. The run fails when:

* any request gets a 500, or anything but the product's 503 while the database is away;
* writes still fail five seconds after the database is back (no recovery without a restart);
* an observation the API accepted (201) is not in the database, or any observation lacks its
  chronology item or audit event (a partial write);
* ``safeguard audit verify`` fails.

The figures go to bench/results/fault.json and docs/reliability.md. The cluster is started again
if it is not online at the end, whatever happened.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safeguard_fault"
RESTART = "pg_ctlcluster --skip-systemctl-redirect 15 main restart -m fast"
START = "pg_ctlcluster --skip-systemctl-redirect 15 main start"
DEADLINE_SECONDS = 240  # the whole run stops by itself within this
RECOVERY_GRACE = 5.0  # seconds after the database is back by which writes must succeed again


def environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SAFEGUARD_DEV", "SAFEGUARD_TESTING", "DJANGO_DEBUG")}
    env.update(DATABASE_URL=url, SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="127.0.0.1",
               SAFEGUARD_HTTPS="0", SAFEGUARD_STATIC_ROOT=str(RESULTS / "static"),
               SAFEGUARD_MEDIA_ROOT=str(RESULTS / "media"), SAFEGUARD_AUDIT_ANCHOR_FILE=str(RESULTS / "fault-anchors.log"),
               EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", PYTHONUNBUFFERED="1")
    return env


# -- run inside Django (subprocesses of this script) --------------------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()


def prepare() -> dict:
    """A school, a practitioner with a verified session, a child: what the load needs."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from safeguard.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from safeguard.accounts.models import Agency, AgencyKind, Role
    from safeguard.accounts.services import user_create
    from safeguard.children.models import Child, Involvement

    school = Agency.objects.create(name="Fault Test Academy", kind=AgencyKind.SCHOOL)
    user = user_create(username="fault.teacher", password=secrets.token_urlsafe(24), agency=school,
                       roles=[Role.PRACTITIONER], first_name="Fault", last_name="Teacher")
    device = StaticDevice.objects.create(user=user, name="fault", confirmed=True)
    child = Child.objects.create(first_name="Fault", last_name="Child", lead_agency=school)
    Involvement.objects.create(child=child, agency=school, reason=Involvement.Reason.RECORDED)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED] = session[SESSION_SEEN] = int(time.time())
    session.create()
    return {"child": child.pk, "session": session.session_key}


def verify(prefix: str) -> dict:
    """Every observation with the run's marker, and whether each has its chronology item and audit event."""
    _django()
    from django.contrib.contenttypes.models import ContentType

    from safeguard.audit.models import AuditEvent, Verb
    from safeguard.audit.services import audit_verify
    from safeguard.children.models import ChronologyItem, Observation

    rows = dict(Observation.objects.filter(details__startswith=prefix).values_list("details", "pk"))
    kind = ContentType.objects.get_for_model(Observation)
    with_item = set(ChronologyItem.objects.filter(source_type=kind, source_id__in=rows.values())
                    .values_list("source_id", flat=True))
    with_event = {int(pk) for pk in AuditEvent.objects.filter(
        verb=Verb.OBSERVATION_RECORDED, target_id__in=[str(pk) for pk in rows.values()]).values_list(
        "target_id", flat=True)}
    partial = sorted(marker for marker, pk in rows.items() if pk not in with_item or pk not in with_event)
    result = audit_verify()
    return {"markers": sorted(rows), "partial": partial, "audit_ok": result.ok, "audit_checked": result.checked,
            "audit_problem": result.problem}


# -- the load --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    at: float
    kind: str  # write / read
    status: int | str  # an HTTP status, or the name of a connection error
    marker: str = ""
    product_503: bool = False
    seconds: float = 0.0


@dataclass
class Load:
    port: int
    session: str
    child: int
    prefix: str
    stop: threading.Event = field(default_factory=threading.Event)
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0

    def _marker(self) -> str:
        with self.lock:
            self.counter += 1
            return f"{self.prefix}{self.counter:06d}"

    def _request(self, conn, method: str, path: str, body: bytes | None, kind: str, marker: str = "") -> None:
        csrf = "faultcsrftoken" + "x" * 18
        headers = {"Cookie": f"sessionid={self.session}; csrftoken={csrf}", "Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            headers.update({"Content-Type": "application/json", "X-CSRFToken": csrf})
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            status: int | str = response.status
            ours = response.status == 503 and (b"service_unavailable" in content or b"service is unavailable" in content)
        except (OSError, http.client.HTTPException) as error:
            status, ours = type(error).__name__, False
            conn.close()
        with self.lock:
            self.outcomes.append(Outcome(time.monotonic(), kind, status, marker, ours, time.monotonic() - started))

    def writer(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        while not self.stop.is_set():
            marker = self._marker()
            body = json.dumps({"indicators": ["I5"], "occurred_at": datetime.now(UTC).isoformat(),
                               "source": "seen", "details": marker}).encode()
            self._request(conn, "POST", f"/api/children/{self.child}/observations/", body, "write", marker)
            time.sleep(0.05)

    def reader(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        paths = [f"/children/{self.child}/", f"/api/children/{self.child}/chronology/"]
        n = 0
        while not self.stop.is_set():
            self._request(conn, "GET", paths[n % 2], None, "read")
            n += 1
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_up(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def ensure_cluster_online() -> None:
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)  # noqa: S607
    if "online" not in listed.stdout:
        subprocess.run(shlex.split(os.environ.get("FAULT_START_COMMAND", START)), check=False)  # noqa: S603


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django_step(env: dict, step: str, *args: str) -> dict:
    done = subprocess.run([str(BIN / "python"), str(Path(__file__)), step, *args], env=env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, check=False, timeout=300)
    if done.returncode:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarise(load: Load, *, began: float, down_at: float, up_at: float, verified: dict, restart_rc: int) -> dict:
    outcomes = sorted(load.outcomes, key=lambda o: o.at)
    statuses = Counter(str(o.status) for o in outcomes)
    during = [o for o in outcomes if down_at <= o.at <= up_at + RECOVERY_GRACE]
    not_ours = [o for o in outcomes if o.status == 500 or (o.status == 503 and not o.product_503)]
    first_write_back = next((o.at for o in outcomes if o.kind == "write" and o.status == 201 and o.at > up_at), None)
    late_failures = [o for o in outcomes if o.at > up_at + RECOVERY_GRACE and o.status not in (200, 201)]
    accepted = {o.marker for o in outcomes if o.kind == "write" and o.status == 201}
    rows = set(verified["markers"])
    lost = sorted(accepted - rows)
    unanswered = {o.marker for o in outcomes if o.kind == "write" and o.status != 201}
    committed_unanswered = sorted(rows & unanswered)
    stray = sorted(rows - accepted - unanswered)
    checks = {
        "no 500s, and only the product's own 503s": not not_ours,
        "writes recover within 5 s of the database coming back, with no restart": (
            first_write_back is not None and first_write_back - up_at <= RECOVERY_GRACE and not late_failures),
        "every accepted write is in the database": not lost and not stray,
        "no partial writes (each observation has its chronology item and audit event)": not verified["partial"],
        "safeguard audit verify passes": verified["audit_ok"],
        "the restart command succeeded": restart_rc == 0,
    }
    return {
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "passed": all(checks.values()),
        "checks": checks,
        "requests": len(outcomes),
        "writes": sum(o.kind == "write" for o in outcomes),
        "reads": sum(o.kind == "read" for o in outcomes),
        "statuses": dict(sorted(statuses.items())),
        "outage_seconds": round(up_at - down_at, 2),
        "run_seconds": round((outcomes[-1].at - began) if outcomes else 0, 1),
        "requests_during_outage": len(during),
        "product_503_during_outage": sum(o.product_503 for o in during),
        "recovery_seconds_after_database_back": round(first_write_back - up_at, 2) if first_write_back else None,
        "accepted_writes": len(accepted),
        "rows_with_marker": len(rows),
        "accepted_but_missing": lost[:20],
        "committed_but_answer_lost": committed_unanswered[:20],
        "committed_but_answer_lost_count": len(committed_unanswered),
        "partial_writes": verified["partial"][:20],
        "audit_events_checked": verified["audit_checked"],
        "failures_after_recovery": len(late_failures),
        "not_the_products_answer": [f"{o.kind} {o.status}" for o in not_ours][:20],
    }


def write_report(result: dict, args) -> None:
    checks = "\n".join(f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in result["checks"].items())
    statuses = ", ".join(f"{k}: {v}" for k, v in result["statuses"].items())
    text = f"""# Reliability: PostgreSQL restarted under load

`make test-fault` (bench/fault.py) starts the product under gunicorn on a loopback port, against a
database of its own on the machine's PostgreSQL, drives writes (observations through the API, each
with its own marker) and reads (a child's page and chronology) from {args.writers} + {args.readers}
threads, and restarts the PostgreSQL cluster once in the middle (`{os.environ.get('FAULT_RESTART_COMMAND', RESTART)}`).
It stops by itself ({args.before} s of load before the restart, {args.after} s after the database
is back, never more than {DEADLINE_SECONDS} s in all) and starts the cluster again if it is not
online at the end. It is not part of `.ci/run`: it restarts a shared server.

What makes it work:

* every request that meets `OperationalError` or `InterfaceError` (the database gone, a connection
  cut) gets the product's own 503 page, or `{{"code": "service_unavailable"}}` on the API, with
  `Retry-After: 30` (`safeguard/ui/views.py`, `handler500`; tests/records/test_unavailable.py);
* Django's connection health checks (`CONN_HEALTH_CHECKS`) drop a dead connection at the next
  request, so the workers recover without a restart;
* every write is one transaction (ADR 10): an observation, its chronology item and its audit event
  commit together or not at all.

## Last result ({result['at']}): {'passed' if result['passed'] else '**failed**'}

| check | passed |
|---|---|
{checks}

| figure | value |
|---|---|
| requests (writes / reads) | {result['requests']} ({result['writes']} / {result['reads']}) |
| answers | {statuses} |
| database away (restart took) | {result['outage_seconds']} s |
| requests while it was away (and 5 s after) | {result['requests_during_outage']}, of which the product's 503: {result['product_503_during_outage']} |
| first accepted write after it was back | {result['recovery_seconds_after_database_back']} s |
| writes accepted (201) / observations with the run's marker | {result['accepted_writes']} / {result['rows_with_marker']} |
| committed, but the answer was lost in the restart | {result['committed_but_answer_lost_count']} |
| partial writes | {len(result['partial_writes'])} |
| audit events verified | {result['audit_events_checked']} |

A write whose answer was lost (the connection cut after the commit, or the session save after it
failed) is the one case where the client is not told the truth: the row is complete, and the 503
page says that something being saved "may not have been saved. Check before you enter it again."

Figures in `bench/results/fault.json`.
"""
    (ROOT / "docs" / "reliability.md").write_text(text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        print(json.dumps(prepare()))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "verify":
        print(json.dumps(verify(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--before", type=float, default=6.0)
    parser.add_argument("--after", type=float, default=12.0)
    args = parser.parse_args()
    url = os.environ.get("FAULT_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres://postgres@127.0.0.1:") and not url.startswith("postgresql://postgres@127.0.0.1:"):
        sys.exit("FAULT_DATABASE_URL must be a database on the loopback PostgreSQL")
    RESULTS.mkdir(exist_ok=True)
    env = environment(url)
    print("Creating the fault-test database…", flush=True)
    recreate_database(url)
    subprocess.run([str(BIN / "safeguard"), "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    setup = _django_step(env, "prepare")
    subprocess.run([str(BIN / "safeguard"), "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT,  # noqa: S603
                   check=True)
    port = free_port()
    log = (RESULTS / "fault-gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "safeguard.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "30", "--graceful-timeout", "5"], env=env, cwd=ROOT, stdout=log, stderr=log)
    load = Load(port=port, session=setup["session"], child=setup["child"], prefix=f"fault-{secrets.token_hex(4)}-")
    threads: list[threading.Thread] = []
    restart_rc = -1
    try:
        for _ in range(240):  # until a worker answers (the socket accepts before the workers have booted)
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/accounts/sign-in/")
                if probe.getresponse().status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        began = time.monotonic()
        threads = [threading.Thread(target=load.writer, daemon=True) for _ in range(args.writers)]
        threads += [threading.Thread(target=load.reader, daemon=True) for _ in range(args.readers)]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        print("Restarting PostgreSQL…", flush=True)
        down_at = time.monotonic()
        restart = subprocess.run(shlex.split(os.environ.get("FAULT_RESTART_COMMAND", RESTART)),  # noqa: S603
                                 capture_output=True, text=True, check=False, timeout=120)
        restart_rc = restart.returncode
        while not database_up(url) and time.monotonic() - began < DEADLINE_SECONDS - args.after:
            time.sleep(0.2)
        up_at = time.monotonic()
        print(f"PostgreSQL back after {up_at - down_at:.1f} s; load goes on for {args.after} s", flush=True)
        time.sleep(args.after)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=20)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        ensure_cluster_online()
    verified = _django_step(env, "verify", load.prefix)
    result = summarise(load, began=began, down_at=down_at, up_at=up_at, verified=verified, restart_rc=restart_rc)
    (RESULTS / "fault.json").write_text(json.dumps(result, indent=1))
    write_report(result, args)
    for name, ok in result["checks"].items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print(json.dumps({k: v for k, v in result.items() if k != "checks"}, indent=1))
    if not result["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

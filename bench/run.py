"""`make bench`: the page benchmark against the framework's floor (docs/performance.md).

    .venv/bin/python bench/run.py [--scale small|region|large] [--users 20] [--seconds 4]

SQLite (bench/results/bench-<scale>.sqlite3) unless DATABASE_URL names a PostgreSQL database. It
loads the synthetic data set if the database has none, starts gunicorn on a free loopback port with
production settings (DEBUG off, two-factor on, a fresh secret key; plain HTTP on loopback, as behind
a TLS-terminating proxy), drives each page from this process with ``--users`` concurrent signed-in
sessions for ``--seconds``, measures search recall and `safeguard tick`, and writes
bench/results/bench-<scale>-<vendor>.json and its table into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from load import Scenario, recall, run  # noqa: E402
from report import FLOOR_AGAIN, write_report  # noqa: E402


def environment(scale: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SAFEGUARD_DEV", "SAFEGUARD_TESTING", "DJANGO_DEBUG")}
    if not env.get("DATABASE_URL"):
        env["SAFEGUARD_SQLITE_PATH"] = str(RESULTS / f"bench-{scale}.sqlite3")
    env.update(SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="127.0.0.1", SAFEGUARD_HTTPS="0",
               SAFEGUARD_STATIC_ROOT=str(RESULTS / "static"), SAFEGUARD_MEDIA_ROOT=str(RESULTS / "media"),
               EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", PYTHONUNBUFFERED="1")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scenarios(setup: dict) -> list[Scenario]:
    heavy, child = setup["heavy_child"], setup["ordinary_child"]
    pages = [
        Scenario("floor: signed-in page, one indexed query", "mash", "/healthz/signed-in/"),
        Scenario("home (mash)", "mash", "/"),
        Scenario("home (teacher)", "teacher", "/"),
        Scenario('child search "Jody Smith" (mash)', "mash", "/children/", "POST",
                 {"name": "Jody Smith", "first_name": "", "last_name": ""}),
        Scenario("missing review list §14 (police)", "police", "/missing/"),
        Scenario("review list CSV (police)", "police", "/missing/?format=csv"),
        Scenario("/api/children/ (teacher)", "teacher", "/api/children/"),
        Scenario("/api/children/ (mash)", "mash", "/api/children/"),
        Scenario("referrals queue (mash)", "mash", "/referrals/"),
        Scenario("chronology, longest (mash)", "mash", f"/children/{heavy}/chronology/"),
        Scenario("/api/referrals/ (mash)", "mash", "/api/referrals/"),
        Scenario("/api/missing/episodes/ (police)", "police", "/api/missing/episodes/"),
        Scenario("child overview (mash)", "mash", f"/children/{child}/"),
        Scenario("screening list (mash)", "mash", f"/children/{child}/screenings/"),
        Scenario("chronology API, longest (mash)", "mash", f"/api/children/{heavy}/chronology/"),
        Scenario("screening submit (mash)", "mash", f"/children/{child}/screenings/new/", "POST",
                 {"previous_cp_referral": "no", "referrer_name": "Bench worker", "organisation": "MASH",
                  "contact_details": "01632 960000", "child_name": "As on the record"}, ok=(302,)),
    ]
    meeting = f"/meetings/{setup['panel_meeting']}/"
    pages += [
        Scenario("panel agenda (chair)", "chair", meeting),
        # One chair builds a meeting's agenda: two at once would each refuse the other's stale version.
        Scenario("panel agenda build (chair)", "chair", meeting + "agenda/", "POST", form_page=meeting, ok=(302,),
                 follow="The agenda has been built from the data.", users=1),
        Scenario("board report", "analyst", "/reports/board/"),
    ]
    if setup["link_pairs"]:
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        each = [(f"/intelligence/children/{child}/links/new/", {
            "entity": entity, "kind": "seen_with", "occurred_on_day": yesterday.day,
            "occurred_on_month": yesterday.month, "occurred_on_year": yesterday.year,
            "notes": "Seen together outside the shops after school."}) for child, entity in setup["link_pairs"]]
        pages.append(Scenario("link save with pattern checks (police)", "police", each[0][0], "POST",
                              form_page=each[0][0], ok=(302,), each=each))
    return pages


def not_measured(setup: dict) -> dict[str, str]:
    """Pages this run could not measure, each with why."""
    if setup["link_pairs"]:
        return {}
    return {"link save with pattern checks": "the data set has no child known to the police and entity "
            "not yet linked to each other"}


def tick_seconds(env: dict) -> list[float]:
    """`safeguard tick` twice, timed inside one process: raising what is due, then nothing left."""
    done = subprocess.run([str(BIN / "python"), str(HERE / "prepare.py"), "tick"], env=env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode:
        print(f"tick failed:\n{done.stderr[-2000:]}", flush=True)
        return []
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_memory_mb(master: int) -> list[float]:
    sizes = []
    for task in Path(f"/proc/{master}/task").glob("*/children"):
        for pid in task.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                            text=True, check=False).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1),
            "python": platform.python_version(), "commit": commit,
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "20")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "4")))
    parser.add_argument("--think", type=float, default=float(os.environ.get("BENCH_THINK", "1")),
                        help="Mean pause (s) between a user's requests in the paced pass; 0 skips that pass")
    parser.add_argument("--paced-seconds", type=float, default=float(os.environ.get("BENCH_PACED_SECONDS", "6")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-tick", action="store_true")
    parser.add_argument("--only", default="", help="Comma-separated parts of page names to measure (the floor always)")
    parser.add_argument("--tag", default=os.environ.get("BENCH_TAG", ""), help="Suffix for the result file and report section")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    env = environment(args.scale)
    planted = RESULTS / f"planted-{args.scale}.json"
    if not env.get("DATABASE_URL") and not planted.exists():
        Path(env["SAFEGUARD_SQLITE_PATH"]).unlink(missing_ok=True)
    print(f"Preparing the {args.scale} data set and the benchmark sessions…", flush=True)
    prepared = subprocess.run([str(BIN / "python"), str(HERE / "prepare.py"), args.scale, str(planted)],  # noqa: S603
                              env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if prepared.returncode:
        sys.exit(f"Set-up failed:\n{prepared.stderr[-3000:]}")
    setup = json.loads(prepared.stdout)
    subprocess.run([str(BIN / "safeguard"), "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT,  # noqa: S603
                   check=True)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "safeguard.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "300"], env=env, cwd=ROOT,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/sign-in/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        results = []
        wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
        chosen = [s for n, s in enumerate(scenarios(setup))
                  if n == 0 or not wanted or any(w in s.name.lower() for w in wanted)]
        for scenario in chosen:
            stats = run("127.0.0.1", port, setup["sessions"], scenario, users=args.users, seconds=args.seconds)
            results.append(stats.summary())
            print(f"  {scenario.name}: {results[-1]}", flush=True)
        # The floor once more, at the end: its p95 moves from run to run more than the pages' do (it is
        # short and quick, so one pause weighs more), and each page is compared with the mean of both.
        again = run("127.0.0.1", port, setup["sessions"], chosen[0], users=args.users, seconds=args.seconds)
        results.append({**again.summary(), "name": FLOOR_AGAIN})
        print(f"  {FLOOR_AGAIN}: {results[-1]}", flush=True)
        # The paced pass: the same users, each pausing about ``think`` seconds between requests, as
        # people reading pages do: what a page's response time is when the server is not saturated.
        # (The floor once: its second, saturated measure has no paced twin.)
        for scenario, result in zip(chosen, results[:len(chosen)], strict=True) if args.think else ():
            paced = run("127.0.0.1", port, setup["sessions"], scenario, users=args.users,
                        seconds=args.paced_seconds, think=args.think).summary()
            result["paced"] = {k: paced[k] for k in ("requests", "errors", "p50_ms", "p95_ms", "p99_ms",
                                                     "throughput_rps")}
            print(f"  {scenario.name}, paced: {result['paced']}", flush=True)
        recall_result = None
        if not wanted or "recall" in wanted:
            recall_result, search_stats = recall("127.0.0.1", port, setup["sessions"]["mash"], setup["planted"])
            results.append(search_stats.summary())
        print(f"  recall: {recall_result}", flush=True)
        memory = worker_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    ticks = [] if args.skip_tick else tick_seconds(env)
    outcome = {
        "tag": args.tag,
        "scale": args.scale, "vendor": setup["vendor"], "users": args.users, "seconds_per_page": args.seconds,
        "think_seconds": args.think, "paced_seconds_per_page": args.paced_seconds,
        "workers": args.workers, "machine": machine(), "counts": setup["counts"],
        "load_seconds": setup["load_seconds"], "pages": results, "recall": recall_result,
        "tick_seconds": ticks, "worker_rss_mb": memory,
        "skipped": not_measured(setup), "only": args.only,
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    path = RESULTS / f"bench-{args.scale}-{setup['vendor']}{'-' + args.tag if args.tag else ''}.json"
    path.write_text(json.dumps(outcome, indent=1))
    write_report(outcome, RESULTS, ROOT / "docs" / "performance.md")
    print(f"Results in {path} and docs/performance.md")


if __name__ == "__main__":
    main()

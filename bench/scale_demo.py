"""`make scale-demo`: two app nodes behind nginx, a PostgreSQL primary and a streaming read replica.

    .venv/bin/python bench/scale_demo.py [--scale small] [--users 20] [--seconds 3] [--keep]

Everything runs on loopback from one temporary directory, and nothing outside it is touched:

- a throw-away PostgreSQL primary (``initdb`` in the temporary directory, its own port) and a
  streaming replica of it made with ``pg_basebackup -R`` (another port). The machine's own
  PostgreSQL cluster and its configuration are not used;
- the synthetic data set and the benchmark sessions, loaded through the primary;
- two gunicorn nodes with the same settings (production settings; ``DATABASE_REPLICA_URL`` set, so
  the review list reads from the replica; uploads and the audit anchor file on one shared
  directory, as on shared storage; sessions in the database; ``safeguard tick`` under its lock);
- nginx (the Debian package) with two front ports: one sends every request to node 1, the other
  spreads requests over both nodes.

The benchmark's load generator then measures the same pages through each front port, and the
throughput with one node and with two is written to bench/results/scale-demo.json and
docs/performance.md. Needs: PostgreSQL server binaries, nginx (``apt-get install nginx``).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from load import Scenario, run  # noqa: E402
from run import environment, free_port, machine  # noqa: E402


def pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit(f"PostgreSQL's {tool} was not found (install the postgresql package)")
    return found[-1]


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def sh(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def psql(port: int, sql: str, db: str = "postgres") -> str:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/{db}", autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        return "" if row is None else str(row[0])


class Demo:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="safeguard-scale-demo-"))
        self.dir.chmod(0o755)
        self.processes: list[subprocess.Popen] = []
        self.clusters: list[Path] = []

    # -- PostgreSQL ------------------------------------------------------------------------------

    def _owned(self, path: Path) -> Path:
        path.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
        return path

    def _start(self, data: Path) -> None:
        sh(as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "start"]))
        self.clusters.append(data)

    def primary(self, port: int) -> None:
        self.pg = self._owned(self.dir / "pg")  # the clusters' own directory, owned by postgres
        data = self.pg / "primary"
        sh(as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]))
        sockets = self.pg / "sockets"
        sh(as_postgres(["mkdir", "-m", "700", str(sockets)]))
        with open(data / "postgresql.conf", "a") as conf:  # the throw-away cluster's own configuration
            conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sockets}'\n"
                       "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("\nhost replication postgres 127.0.0.1/32 trust\n")
        self._start(data)

    def replica(self, primary_port: int, port: int) -> None:
        data = self.pg / "replica"
        sh(as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
                        "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast"]))  # not the next timed one
        with open(data / "postgresql.auto.conf", "a") as conf:
            conf.write(f"\nport = {port}\n")
        self._start(data)

    def wait_for_replica(self, primary_port: int, replica_port: int) -> float:
        """Seconds until the replica has replayed everything the primary has written so far."""
        began = time.monotonic()
        target = psql(primary_port, "SELECT pg_current_wal_lsn()")
        while time.monotonic() - began < 600:
            done = psql(replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done == "True":
                return round(time.monotonic() - began, 2)
            time.sleep(0.2)
        sys.exit("The replica did not catch up within 10 minutes")

    # -- app nodes and nginx -----------------------------------------------------------------------

    def node(self, env: dict, port: int, workers: int) -> None:
        self.processes.append(subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "safeguard.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "300"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=open(self.dir / f"node-{port}.log", "w"),  # noqa: SIM115
        ))

    def nginx(self, one: int, both: int, nodes: list[int]) -> None:
        home = self.dir / "nginx"
        home.mkdir()
        home.chmod(0o777)  # nginx's worker (nobody) writes its temporary files here
        servers = "\n".join(f"    server 127.0.0.1:{p};" for p in nodes)
        conf = f"""
daemon off;
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {home}/body; proxy_temp_path {home}/proxy; fastcgi_temp_path {home}/fastcgi;
  uwsgi_temp_path {home}/uwsgi; scgi_temp_path {home}/scgi;
  upstream one_node {{
    server 127.0.0.1:{nodes[0]};
    keepalive 32;
  }}
  upstream two_nodes {{
{servers}
    keepalive 32;
  }}
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_read_timeout 300s;
  server {{ listen 127.0.0.1:{one}; location / {{ proxy_pass http://one_node; }} }}
  server {{ listen 127.0.0.1:{both}; location / {{ proxy_pass http://two_nodes; }} }}
}}
"""
        (home / "nginx.conf").write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            sys.exit("nginx is not installed: apt-get install nginx")
        self.processes.append(subprocess.Popen([nginx, "-p", str(home), "-c", str(home / "nginx.conf")]))  # noqa: S603

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        for data in reversed(self.clusters):
            subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),  # noqa: S603
                           check=False, capture_output=True)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def wait_http(port: int, path: str = "/accounts/sign-in/") -> None:
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"Nothing answered on port {port}")


def scenarios(setup: dict) -> list[Scenario]:
    child = setup["ordinary_child"]
    return [
        Scenario("floor: signed-in page, one indexed query", "mash", "/healthz/signed-in/"),
        Scenario("home (mash)", "mash", "/"),
        Scenario("child overview (mash)", "mash", f"/children/{child}/"),
        Scenario("/api/children/ (teacher)", "teacher", "/api/children/"),
        Scenario("missing review list §14 (police, replica)", "police", "/missing/"),
        Scenario("review list CSV (police, replica)", "police", "/missing/?format=csv"),
    ]


def replica_reads(port: int) -> int:
    """Rows read on the replica so far (its own statistics): proof that the replica served reads."""
    return int(psql(port, "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'safeguard'"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--keep", action="store_true", help="Leave the temporary directory in place")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    demo = Demo(args.keep)
    primary_port, replica_port = free_port(), free_port()
    try:
        print(f"Scale-out demo in {demo.dir}", flush=True)
        demo.primary(primary_port)
        psql(primary_port, "CREATE DATABASE safeguard")
        env = environment(args.scale)
        shared = demo.dir / "shared"  # what shared storage holds: uploads, the audit anchor file
        shared.mkdir()
        env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{primary_port}/safeguard",
                   SAFEGUARD_MEDIA_ROOT=str(shared / "media"),
                   SAFEGUARD_AUDIT_ANCHOR_FILE=str(shared / "audit-anchors.log"))
        env.pop("SAFEGUARD_SQLITE_PATH", None)
        planted = RESULTS / f"planted-{args.scale}.json"
        print(f"Primary on port {primary_port}: loading the {args.scale} data set…", flush=True)
        prepared = subprocess.run([str(BIN / "python"), str(HERE / "prepare.py"), args.scale, str(planted)],  # noqa: S603
                                  env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if prepared.returncode:
            sys.exit(f"Set-up failed:\n{prepared.stderr[-3000:]}")
        setup = json.loads(prepared.stdout)
        print(f"Replica on port {replica_port} (pg_basebackup, streaming)…", flush=True)
        demo.replica(primary_port, replica_port)
        lag = demo.wait_for_replica(primary_port, replica_port)
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{replica_port}/safeguard"
        subprocess.run([str(BIN / "safeguard"), "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT,  # noqa: S603
                       check=True)
        nodes = [free_port(), free_port()]
        for port in nodes:
            demo.node(env, port, args.workers)
        one, both = free_port(), free_port()
        demo.nginx(one, both, nodes)
        for port in (*nodes, one, both):
            wait_http(port)
        print(f"Nodes on {nodes}, nginx on {one} (node 1 only) and {both} (both nodes)", flush=True)
        before = replica_reads(replica_port)
        results: dict[str, list[dict]] = {"one node": [], "two nodes": []}
        for label, port in (("one node", one), ("two nodes", both)):
            for scenario in scenarios(setup):
                stats = run("127.0.0.1", port, setup["sessions"], scenario, users=args.users, seconds=args.seconds)
                results[label].append(stats.summary())
                print(f"  {label}: {results[label][-1]}", flush=True)
        read_on_replica = replica_reads(replica_port) - before
    finally:
        demo.stop()
    outcome = {
        "scale": args.scale, "users": args.users, "seconds_per_page": args.seconds, "workers_per_node": args.workers,
        "machine": machine(), "counts": setup["counts"], "replica_catch_up_seconds": lag,
        "rows_read_on_replica": read_on_replica, "results": results,
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    path = RESULTS / "scale-demo.json"
    path.write_text(json.dumps(outcome, indent=1))
    write_section(outcome, ROOT / "docs" / "performance.md")
    print(f"Results in {path} and docs/performance.md")


def write_section(outcome: dict, doc: Path) -> None:
    m = outcome["machine"]
    lines = [
        "### Two nodes behind nginx, primary and streaming replica (`make scale-demo`)",
        "",
        f"Run {outcome['at']}, commit `{m['commit']}`, {m['cores']} cores, load average {m['load_average']} at the "
        f"end (other work on the machine); {outcome['scale']} scale ({outcome['counts']['children']:,} children) on a "
        f"throw-away primary and replica; {outcome['workers_per_node']} gunicorn workers a node, "
        f"{outcome['users']} concurrent users, {outcome['seconds_per_page']} s a page. The replica caught up "
        f"{outcome['replica_catch_up_seconds']} s after the load; it returned {outcome['rows_read_on_replica']:,} rows "
        "during the run (its own statistics), so the review list was read from it.",
        "",
        "| page (role) | one node req/s | two nodes req/s | one node p95 ms | two nodes p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    total = {"one node": 0.0, "two nodes": 0.0}
    for a, b in zip(outcome["results"]["one node"], outcome["results"]["two nodes"], strict=True):
        total["one node"] += a["throughput_rps"] or 0
        total["two nodes"] += b["throughput_rps"] or 0
        lines.append(f"| {a['name']} | {a['throughput_rps']} | {b['throughput_rps']} | {a['p95_ms']} | {b['p95_ms']} | "
                     f"{a['errors'] + b['errors']} |")
    lines.append(f"| **all pages (sum)** | {total['one node']:.1f} | {total['two nodes']:.1f} | | | |")
    section = "\n".join(lines)
    text = doc.read_text()
    start, end = "<!-- bench:scale-demo -->", "<!-- /bench:scale-demo -->"
    block = f"{start}\n{section}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)


if __name__ == "__main__":
    main()

"""One request at a time, in process: each page's server time at this scale, free of queueing.

    DATABASE_URL=… SECRET_KEY=… SAFEGUARD_HTTPS=0 SAFEGUARD_STATIC_ROOT=bench/results/static \
        .venv/bin/python bench/sequential.py small [--repeat 15]

(production settings: a secret key, and the static files collected there by ``safeguard collectstatic``)

On a machine shared with other work, the concurrent benchmark's figures are mostly queueing for a
CPU; timing one request at a time (after one untimed warm-up) shows what the page itself costs, and
its growth from one scale to another. Prints JSON: page → p50/p95 ms and the number of queries.
Uses the benchmark personas' sessions and planted children (bench/prepare.py must have run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safeguard.accounts.models import User
    from tests.factories import login_verified

    planted = json.loads((HERE / "results" / f"planted-{args.scale}.json").read_text())
    heavy, child = planted["heavy_children"][0], planted["queries"][0]["child_id"]
    pages = [
        ("floor", "mash", "/healthz/signed-in/"),
        ("home (mash)", "mash", "/"),
        ("home (teacher)", "teacher", "/"),
        ("missing review list (police)", "police", "/missing/"),
        ("/api/children/ (teacher)", "teacher", "/api/children/"),
        ("/api/children/ (mash)", "mash", "/api/children/"),
        ("/api/referrals/ (mash)", "mash", "/api/referrals/"),
        ("/api/referrals/ (teacher)", "teacher", "/api/referrals/"),
        ("/api/missing/episodes/ (police)", "police", "/api/missing/episodes/"),
        ("/api/missing/interviews/ (police)", "police", "/api/missing/interviews/"),
        ("referrals queue (mash)", "mash", "/referrals/"),
        ("chronology, longest (mash)", "mash", f"/children/{heavy}/chronology/"),
        ("child overview (mash)", "mash", f"/children/{child}/"),
        ('child search "Jody Smith" (mash)', "mash", "/children/"),
    ]
    # The search page is a POST of the one name box (the first and last name boxes are the exact search).
    posted = {"/children/": {"name": "Jody Smith", "first_name": "", "last_name": ""}}
    clients = {}
    for persona in ("mash", "teacher", "police"):
        clients[persona] = Client()
        login_verified(clients[persona], User.objects.get(username=f"bench.{persona}"))
    out = {}
    for name, persona, path in pages:
        client = clients[persona]

        def request(client=client, path=path):
            return client.post(path, posted[path]) if path in posted else client.get(path)

        request()
        took = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                status = request().status_code
                took.append((time.perf_counter() - began) * 1000)
        took.sort()
        out[name] = {"status": status, "p50_ms": round(statistics.median(took), 1),
                     "p95_ms": round(took[min(len(took) - 1, int(0.95 * len(took)))], 1),
                     "queries": len(queries.captured_queries)}
        print(name, out[name], file=sys.stderr, flush=True)
    out["_load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(out))


if __name__ == "__main__":
    main()

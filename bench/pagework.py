"""Each page's database work for one request, which machine load does not change: its queries, the
shared buffers its SELECTs touch and their execution time (EXPLAIN ANALYZE BUFFERS), PostgreSQL only.

    DATABASE_URL=… SECRET_KEY=… SAFEGUARD_HTTPS=0 SAFEGUARD_STATIC_ROOT=bench/results/static \\
        .venv/bin/python bench/pagework.py bench/results/planted-medium.json > work-medium.json

On a machine shared with other work, wall-clock times mostly measure the queue for a CPU; buffers
touched are the same on a busy or an idle machine, so their growth from one scale to the next is the
flat-cost check (docs/performance.md). Pages: the ones whose cost grew in issue 15's second round,
and the search page with the first ten planted queries (bench/prepare.py or bench-data must have run).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
CURSOR = re.compile(r'\s*DECLARE "[^"]+" NO SCROLL CURSOR WITH HOLD FOR (.*)', re.S)


def pages(planted: dict) -> list[tuple[str, str, str, dict | None]]:
    heavy = planted["heavy_children"][0]
    found = [
        ("home (mash)", "mash", "/", None),
        ("missing review list (police)", "police", "/missing/", None),
        ("referrals queue (mash)", "mash", "/referrals/", None),
        ("chronology, longest (mash)", "mash", f"/children/{heavy}/chronology/", None),
        ('child search "Jody Smith" (mash)', "mash", "/children/", {"name": "Jody Smith", "first_name": "", "last_name": ""}),
    ]
    for n, query in enumerate(planted["queries"][:10]):
        body = {"name": f"{query['first_name']} {query['last_name']}", "first_name": "", "last_name": ""}
        if query.get("date_of_birth"):
            year, month, day = query["date_of_birth"].split("-")
            body.update(date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year)
        found.append((f"search, planted {n} ({query['kind']})", "mash", "/children/", body))
    return found


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safeguard.accounts.models import User
    from tests.factories import login_verified

    planted = json.loads(Path(sys.argv[1]).read_text())
    clients = {}
    for persona in ("mash", "police"):
        clients[persona] = Client()
        login_verified(clients[persona], User.objects.get(username=f"bench.{persona}"))
    out = {}
    for name, persona, path, body in pages(planted):
        client = clients[persona]

        def request(client=client, path=path, body=body):
            return client.post(path, body) if body else client.get(path)

        request()
        with CaptureQueriesContext(connection) as captured:
            status = request().status_code
        buffers, took = 0, 0.0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.45', true)")  # as search sets it
            for query in captured.captured_queries:
                sql = query["sql"]
                if cursor_sql := CURSOR.match(sql):
                    sql = cursor_sql.group(1)
                if not sql.lstrip().upper().startswith("SELECT") or "set_config" in sql:
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
                buffers += plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get("Shared Read Blocks", 0)
                took += plan["Execution Time"]
        out[name] = {"status": status, "queries": len(captured.captured_queries), "buffers": buffers,
                     "sql_ms": round(took, 1)}
        print(name, out[name], file=sys.stderr, flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""Saving an intelligence link with its pattern checks, against recomputing connected components with
networkx, side by side in one run (issue 12 "Done when"; docs/intelligence.md).

    .venv/bin/python bench/link_bench.py [--children 20000] [--entities 20000] [--links 100000] [--samples 200]

Loads a synthetic graph straight into a fresh database (SQLite in a temporary folder, or the
PostgreSQL database DATABASE_URL names, which it empties first: give it a throwaway one) with the
bench-data writer (COPY on PostgreSQL, indexes built once at the end), with the networks built once
by union-find as the data migration builds them. Then it saves ``--samples``
links between random children and entities through the real service (``link_child``: row locks,
chronology, audit, networks, patterns, alerts), timing the whole save and the pattern checks alone,
and times networkx finding the connected components of the same graph read from the database.
Writes bench/results/link-bench-<vendor>.json and prints the table docs/intelligence.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _setup(database_url: str) -> None:
    os.environ.setdefault("SAFEGUARD_DEV", "1")
    if not database_url:
        os.environ["SAFEGUARD_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "link-bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        call_command("flush", "--no-input", verbosity=0)  # a throwaway database, as the docstring says
    call_command("migrate", "--no-input", verbosity=0)


def _load(children: int, entities: int, links: int, seed: int) -> dict:
    """Writes the graph with the bench-data writer (``safeguard.core.bench.writer``): COPY on
    PostgreSQL with the secondary indexes built once at the end, batched INSERTs on SQLite; networks
    and the alerts already raised are worked out here from the edges, not read back."""
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from safeguard.accounts.models import Agency, AgencyKind
    from safeguard.children.models import Child
    from safeguard.core.bench.intelligence import write_networks
    from safeguard.core.bench.writer import (
        RowWriter,
        columns,
        finish,
        next_id,
        skip_foreign_key_checks,
        without_indexes,
    )
    from safeguard.intelligence.models import Alert, Entity, Link, Network, NetworkMember

    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    digest = hashlib.sha256()
    loaded = [Child, Entity, Link, Network, NetworkMember, Alert]
    with transaction.atomic():
        skip_foreign_key_checks()
        rebuild = without_indexes(loaded)
        agency = Agency.objects.create(name="Bench agency", kind=AgencyKind.POLICE)
        first = next_id(Child)
        child_ids = list(range(first, first + children))
        names, template = columns(Child, now, first_name="", last_name="Bench", lead_agency=agency.pk)
        at = names.index("first_name") - 1
        writer = RowWriter(Child, names, digest)
        for n, pk in enumerate(child_ids):
            row = list(template)
            row[at] = f"Child{n}"
            writer.add((pk, *row))
        writer.flush()
        kinds = ["vehicle", "phone", "person", "place"]
        first = next_id(Entity)
        entity_ids = list(range(first, first + entities))
        kind_of = {pk: kinds[n % 4] for n, pk in enumerate(entity_ids)}
        names, template = columns(Entity, now, kind="", key="", label="")
        positions = [names.index(name) - 1 for name in ("kind", "key", "label")]
        writer = RowWriter(Entity, names, digest)
        for n, pk in enumerate(entity_ids):
            row = list(template)
            kind = kinds[n % 4]
            for position, value in zip(positions, (kind, "" if kind == "person" else f"K{n:08d}", f"Entity {n}"),
                                       strict=True):
                row[position] = value
            writer.add((pk, *row))
        writer.flush()
        # Degrees follow a long tail: a few entities (a hub car, a takeaway) are around many children.
        weights = [1.0 / (1 + (i % 997)) for i in range(len(entity_ids))]
        today = date.today()
        names, template = columns(Link, now, kind="seen_with", child=None, entity=None, occurred_on=None,
                                   source_evaluation="2", assessment="C", handling="P", agency=agency.pk)
        positions = [names.index(name) - 1 for name in ("child", "entity", "occurred_on")]
        writer = RowWriter(Link, names, digest)
        link_id = next_id(Link)
        edges = []
        first_link: dict[int, int] = {}  # entity: its first link
        first_child_link: dict[int, int] = {}  # child: its first link
        entity_children: dict[int, set] = {}
        child_persons: dict[int, set] = {}
        for entity_id in rng.choices(entity_ids, weights=weights, k=links):
            child_id = rng.choice(child_ids)
            occurred = today - timedelta(days=rng.randrange(365))
            row = list(template)
            for position, value in zip(positions, (child_id, entity_id, occurred), strict=True):
                row[position] = value
            writer.add((link_id, *row))
            edges.append((child_id, entity_id))
            first_link.setdefault(entity_id, link_id)
            first_child_link.setdefault(child_id, link_id)
            entity_children.setdefault(entity_id, set()).add(child_id)
            if kind_of[entity_id] == "person":
                child_persons.setdefault(child_id, set()).add(entity_id)
            link_id += 1
        writer.flush()
        # The networks, by union-find, as the data migration builds them.
        parent: dict = {}

        def find(node):
            while parent.setdefault(node, node) != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for child_id, entity_id in edges:
            a, b = find(("c", child_id)), find(("e", entity_id))
            if a != b:
                parent[a] = b
        groups: dict = {}
        for node in list(parent):
            groups.setdefault(find(node), []).append(node)
        # Listed for the panel once it reached three children (its alert was raised then).
        write_networks(groups, listed_at=lambda _root, children: now if children >= 3 else None, now=now, digest=digest)
        # The loaded links would have raised their alerts when they were saved: record those as raised,
        # so the samples measure the steady state (a new alert is still raised when a sample makes one).
        alerts = RowWriter(Alert, ["id", "pattern", "subject_key", "entity", "child", "network", "link", "title",
                                   "raised_at"], digest)
        alert_id = next_id(Alert)
        for entity_id, around in entity_children.items():
            if len(around) >= 2:
                for pattern in ("shared_entity", "hot_spot"):
                    alerts.add((alert_id, pattern, f"entity:{entity_id}", entity_id, None, None,
                                first_link[entity_id], "loaded", now))
                    alert_id += 1
        # ... and the children already around two persons of concern had their "several persons" alert.
        for child_id, persons in child_persons.items():
            if len(persons) >= 2:
                alerts.add((alert_id, "several_persons", f"child:{child_id}", None, child_id, None,
                            first_child_link[child_id], "loaded", now))
                alert_id += 1
        alerts.flush()
        rebuild()
    finish(loaded)
    return {"seconds": round(time.perf_counter() - started, 1), "networks": len(groups),
            "largest_network": max(len(n) for n in groups.values()), "child_ids": child_ids, "entity_ids": entity_ids}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _save_links(samples: int, child_ids: list[int], entity_ids: list[int], seed: int) -> dict:
    from django.db import connection

    from safeguard.access.policy import system_access
    from safeguard.children.models import Child
    from safeguard.intelligence import services
    from safeguard.intelligence.models import Entity
    from safeguard.intelligence.services import links as link_services

    checks: list[float] = []
    checks_cpu: list[float] = []
    queries: list[int] = []
    original = link_services.link_patterns_check

    def counted(execute, sql, params, many, context):
        queries[-1] += 1
        return execute(sql, params, many, context)

    def timed(link):
        queries.append(0)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with connection.execute_wrapper(counted):
                return original(link)
        finally:
            checks.append((time.perf_counter() - started) * 1000)
            checks_cpu.append((time.process_time() - cpu) * 1000)

    link_services.link_patterns_check = timed
    rng = random.Random(seed + 1)
    saves = []
    saves_cpu = []
    alerts = 0
    try:
        for _ in range(samples):
            child = Child.objects.get(pk=rng.choice(child_ids))
            entity = Entity.objects.get(pk=rng.choice(entity_ids))
            started, cpu = time.perf_counter(), time.process_time()
            outcome = services.link_child(access=system_access(child), entity=entity, details=services.LinkDetails(
                kind="seen_with", occurred_on=date.today() - timedelta(days=1)))
            saves.append((time.perf_counter() - started) * 1000)
            saves_cpu.append((time.process_time() - cpu) * 1000)
            alerts += len(outcome.alerts)
    finally:
        link_services.link_patterns_check = original
    return {
        "samples": samples, "alerts_raised": alerts,
        "save_ms": {"p50": round(statistics.median(saves), 2), "p95": round(_percentile(saves, 95), 2),
                    "max": round(max(saves), 2)},
        "pattern_checks_ms": {"p50": round(statistics.median(checks), 2), "p95": round(_percentile(checks, 95), 2),
                              "max": round(max(checks), 2)},
        # This process's CPU time (SQLite runs in it; PostgreSQL's server time is not counted): what a
        # save costs, without the time a shared, loaded machine keeps it waiting for a core.
        "save_cpu_ms": {"p50": round(statistics.median(saves_cpu), 2), "p95": round(_percentile(saves_cpu, 95), 2)},
        "pattern_checks_cpu_ms": {"p50": round(statistics.median(checks_cpu), 2),
                                  "p95": round(_percentile(checks_cpu, 95), 2)},
        # Statements the checks sent (savepoints included), per save.
        "pattern_checks_queries": {"p50": statistics.median(queries), "p95": _percentile(queries, 95),
                                   "max": max(queries)},
    }


def _networkx(runs: int) -> dict:
    import networkx as nx

    from safeguard.intelligence.models import Link

    read, compute = [], []
    for _ in range(runs):
        started = time.perf_counter()
        edges = list(Link.objects.filter(child__isnull=False).values_list("child_id", "entity_id").iterator(
            chunk_size=20000))
        entity_edges = list(Link.objects.filter(other__isnull=False).values_list("entity_id", "other_id"))
        read.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        graph = nx.Graph()
        graph.add_edges_from((("c", c), ("e", e)) for c, e in edges)
        graph.add_edges_from((("e", a), ("e", b)) for a, b in entity_edges)
        components = sum(1 for _ in nx.connected_components(graph))
        compute.append((time.perf_counter() - started) * 1000)
    return {"runs": runs, "read_links_ms": round(statistics.median(read), 1),
            "components_ms": round(statistics.median(compute), 1),
            "total_ms": round(statistics.median([r + c for r, c in zip(read, compute, strict=True)]), 1),
            "components": components}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--links", type=int, default=100000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--networkx-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--profile", action="store_true",
                        help="Also print where the pattern checks spend their time (cProfile, top 25)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    _setup(database_url)
    from django.db import connection

    loaded = _load(args.children, args.entities, args.links, args.seed)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    saved = _save_links(args.samples, loaded.pop("child_ids"), loaded.pop("entity_ids"), args.seed)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("link_patterns_check|networks|alerts|links", 25)
    graph = _networkx(args.networkx_runs)
    result = {
        "vendor": connection.vendor, "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "scale": {"children": args.children, "entities": args.entities, "links": args.links},
        "load": loaded, "link_save": saved, "networkx": graph,
    }
    out = HERE / "results" / f"link-bench-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    s, n = saved, graph
    print(f"{args.links} links, {args.children} children, {args.entities} entities on {connection.vendor} "
          f"(loaded in {loaded['seconds']} s; {loaded['networks']} networks, largest {loaded['largest_network']})")
    print("| measure | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- |")
    print(f"| save one link (service, all of it) | {s['save_ms']['p50']} | {s['save_ms']['p95']} | {s['save_ms']['max']} |")
    print(f"| of which the pattern checks and network join | {s['pattern_checks_ms']['p50']} | "
          f"{s['pattern_checks_ms']['p95']} | {s['pattern_checks_ms']['max']} |")
    print(f"| the same, CPU time of this process | {s['pattern_checks_cpu_ms']['p50']} | "
          f"{s['pattern_checks_cpu_ms']['p95']} | |")
    print(f"| statements the checks send | {s['pattern_checks_queries']['p50']} | "
          f"{s['pattern_checks_queries']['p95']} | {s['pattern_checks_queries']['max']} |")
    print(f"| networkx: read every link and find components | {n['total_ms']} (median of {n['runs']}) | | |")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

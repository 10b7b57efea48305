"""Saving an intelligence link with its pattern checks, against recomputing connected components with
networkx, side by side in one run (issue 12 "Done when"; docs/intelligence.md).

    .venv/bin/python bench/link_bench.py [--children 20000] [--entities 20000] [--links 100000] [--samples 200]

Loads a synthetic graph straight into a fresh database (SQLite in a temporary folder, or the
PostgreSQL database DATABASE_URL names, which it empties first: give it a throwaway one), with the
networks built once by union-find as the data migration builds them. Then it saves ``--samples``
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
    from django.db.models import Min
    from django.utils import timezone

    from safeguard.accounts.models import Agency, AgencyKind
    from safeguard.children.models import Child
    from safeguard.intelligence.models import Entity, Link, Network, NetworkMember

    rng = random.Random(seed)
    started = time.perf_counter()
    agency = Agency.objects.create(name="Bench agency", kind=AgencyKind.POLICE)
    Child.objects.bulk_create([Child(first_name=f"Child{i}", last_name="Bench", lead_agency=agency)
                               for i in range(children)], batch_size=2000)
    child_ids = list(Child.objects.values_list("pk", flat=True))
    kinds = ["vehicle", "phone", "person", "place"]
    Entity.objects.bulk_create([
        Entity(kind=kinds[i % 4], key="" if kinds[i % 4] == "person" else f"K{i:08d}", label=f"Entity {i}")
        for i in range(entities)
    ], batch_size=2000)
    entity_ids = list(Entity.objects.values_list("pk", flat=True))
    # Degrees follow a long tail: a few entities (a hub car, a takeaway) are around many children.
    weights = [1.0 / (1 + (i % 997)) for i in range(len(entity_ids))]
    today = date.today()
    edges = []
    batch = []
    picked = rng.choices(entity_ids, weights=weights, k=links)
    for entity_id in picked:
        child_id = rng.choice(child_ids)
        edges.append((child_id, entity_id))
        batch.append(Link(kind="seen_with", child_id=child_id, entity_id=entity_id,
                          occurred_on=today - timedelta(days=rng.randrange(365)), source_evaluation="2",
                          assessment="C", handling="P", agency=agency))
        if len(batch) == 5000:
            Link.objects.bulk_create(batch)
            batch = []
    Link.objects.bulk_create(batch)
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
    for nodes in groups.values():
        network = Network.objects.create(size=len(nodes), children=sum(1 for k, _ in nodes if k == "c"),
                                         listed_at=None)
        NetworkMember.objects.bulk_create([
            NetworkMember(network=network, child_id=pk) if k == "c" else NetworkMember(network=network, entity_id=pk)
            for k, pk in nodes
        ], batch_size=5000)
    # The loaded links would have raised their alerts when they were saved: record those as raised, so
    # the samples measure the steady state (a new alert is still raised when a sample makes one).
    from django.db.models import Count

    from safeguard.intelligence.models import Alert

    now = timezone.now()
    first_link = dict(Link.objects.values("entity").annotate(first=Min("pk")).values_list("entity", "first"))
    shared = Link.objects.values("entity").annotate(n=Count("child", distinct=True)).filter(n__gte=2)
    Alert.objects.bulk_create([
        Alert(pattern=pattern, subject_key=f"entity:{row['entity']}", entity_id=row["entity"],
              link_id=first_link[row["entity"]], title="loaded", raised_at=now)
        for row in shared for pattern in ("shared_entity", "hot_spot")
    ], batch_size=5000)
    # ... and the children already around two persons of concern had their "several persons" alert.
    first_child_link = dict(Link.objects.values("child").annotate(first=Min("pk")).values_list("child", "first"))
    several = (Link.objects.filter(entity__kind="person").values("child")
               .annotate(n=Count("entity", distinct=True)).filter(n__gte=2))
    Alert.objects.bulk_create([
        Alert(pattern="several_persons", subject_key=f"child:{row['child']}", child_id=row["child"],
              link_id=first_child_link[row["child"]], title="loaded", raised_at=now)
        for row in several
    ], batch_size=5000)
    Network.objects.filter(children__gte=3).update(listed_at=now)
    return {"seconds": round(time.perf_counter() - started, 1), "networks": len(groups),
            "largest_network": max(len(n) for n in groups.values()), "child_ids": child_ids, "entity_ids": entity_ids}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _save_links(samples: int, child_ids: list[int], entity_ids: list[int], seed: int) -> dict:
    from safeguard.access.policy import system_access
    from safeguard.children.models import Child
    from safeguard.intelligence import services
    from safeguard.intelligence.models import Entity
    from safeguard.intelligence.services import links as link_services

    checks: list[float] = []
    checks_cpu: list[float] = []
    original = link_services.link_patterns_check

    def timed(link):
        started, cpu = time.perf_counter(), time.process_time()
        try:
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
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    _setup(database_url)
    from django.db import connection

    loaded = _load(args.children, args.entities, args.links, args.seed)
    saved = _save_links(args.samples, loaded.pop("child_ids"), loaded.pop("entity_ids"), args.seed)
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
    print(f"| networkx: read every link and find components | {n['total_ms']} (median of {n['runs']}) | | |")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

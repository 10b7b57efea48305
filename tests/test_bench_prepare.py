"""What bench/prepare.py adds for the panel and intelligence pages (safeguard/core/bench/scenarios.py),
and the two scenarios bench/run.py measures on it: the chair building the panel agenda and the police
saving links (docs/performance.md)."""

from __future__ import annotations

import importlib.util
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from safeguard.accounts.models import User
from safeguard.children.models import ChronologyItem
from safeguard.core.bench.intelligence import LINKS_PER_CHILD, known_children
from safeguard.core.bench.panel import OPEN_CASES
from safeguard.core.bench.scenarios import scenario_data
from safeguard.intelligence.models import Alert, Entity, EntityKind, Link, Network, NetworkMember, PersonName
from safeguard.intelligence.services.entities import person_names_index
from safeguard.meetings.models import Kind, Meeting, MeetingChild, PanelCase
from safeguard.referrals.models import Referral

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str):
    """A module of the bench/ scripts (run.py puts bench/ on the path for its own imports)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def tiny(db, tmp_path):
    call_command("bench-data", "--scale", "tiny", "--as-of", "2026-11-30", "--planted", str(tmp_path / "p.json"))
    return User.objects.get(username="bench.police").agency_id


def _counts() -> dict:
    return {"links": Link.objects.count(), "entities": Entity.objects.count(), "networks": Network.objects.count(),
            "alerts": Alert.objects.count(), "cases": PanelCase.objects.count(), "referrals": Referral.objects.count(),
            "meetings": Meeting.objects.count(), "on the agenda": MeetingChild.objects.count(),
            "chronology": ChronologyItem.objects.count()}


def test_prepare_adds_the_panel_meeting_and_the_graph_once(tiny):
    police = tiny
    data = scenario_data("tiny")

    # The next panel meeting, its agenda built with every child open at the panel on it.
    meeting = Meeting.objects.get(pk=data["panel_meeting"])
    assert meeting.kind == Kind.PANEL and meeting.status == Meeting.Status.SCHEDULED
    assert meeting.agenda_built_at is not None and meeting.agenda["victims"]
    open_ids = set(PanelCase.objects.filter(status=PanelCase.Status.OPEN).values_list("child_id", flat=True))
    assert len(open_ids) == OPEN_CASES["tiny"]
    assert set(MeetingChild.objects.filter(meeting=meeting).values_list("child_id", flat=True)) == open_ids
    assert meeting.invitations.count() == 3  # the chair, the police CSE lead and the MASH
    assert data["counts"] == {"intelligence_links": Link.objects.count(), "on_the_agenda": len(open_ids)}

    # Links for the children the police know, each on the child's chronology, in networks and alerts.
    children = known_children(police)
    links = Link.objects.filter(child__isnull=False)
    assert links.count() == len(children) * LINKS_PER_CHILD
    assert set(links.values_list("child_id", flat=True)) <= set(children)
    assert ChronologyItem.objects.filter(kind=ChronologyItem.Kind.INTELLIGENCE, source_id__in=links.values("pk")).count() \
        == links.count()
    assert NetworkMember.objects.filter(child__isnull=False).count() == links.values("child_id").distinct().count()
    assert NetworkMember.objects.filter(entity__isnull=False).count() == links.values("entity_id").distinct().count()
    for network in Network.objects.annotate(n=Count("members"), kids=Count("members__child")):
        assert (network.size, network.children) == (network.n, network.kids)
    network_of = {(m.child_id, m.entity_id): m.network_id for m in NetworkMember.objects.all()}
    for child, entity in links.values_list("child_id", "entity_id"):  # both ends of a link in one network
        assert network_of[(child, None)] == network_of[(None, entity)]
    assert {"shared_entity", "several_persons", "network"} <= set(Alert.objects.values_list("pattern", flat=True))
    # A person's name index is the one the intelligence service writes.
    person = Entity.objects.filter(kind=EntityKind.PERSON).first()
    written = sorted(PersonName.objects.filter(entity=person).values_list("name", "alias", "word", "key", "key2"))
    person_names_index(person, [(person.label, False)])
    assert sorted(PersonName.objects.filter(entity=person).values_list("name", "alias", "word", "key", "key2")) == written

    # Pairs to link: children the police know and entities of the graph, none linked yet.
    pairs = data["link_pairs"]
    assert len(pairs) > 100 and len(set(pairs)) == len(pairs)
    assert not Link.objects.filter(child_id=pairs[0][0], entity_id=pairs[0][1]).exists()
    assert {c for c, _ in pairs} <= set(children)

    # Run again on the same database: nothing is made twice.
    before = _counts()
    again = scenario_data("tiny")
    assert _counts() == before
    assert again["panel_meeting"] == meeting.pk


@pytest.fixture
def prepared(tiny):
    data = scenario_data("tiny")
    setup = {"heavy_child": 1, "ordinary_child": 1, **data}
    return {s.name: s for s in _bench_module("run").scenarios(setup)}, data


def _signed_in(client_for, username):
    return client_for(User.objects.get(username=username))


def test_the_chair_sees_and_builds_the_agenda(prepared, client_for):
    load = _bench_module("load")
    scenarios, data = prepared
    page, build = scenarios["panel agenda (chair)"], scenarios["panel agenda build (chair)"]
    client = _signed_in(client_for, "bench.chair")

    shown = client.get(page.path)
    assert shown.status_code == 200 and 'id="agenda"' in shown.content.decode()
    meeting = Meeting.objects.get(pk=data["panel_meeting"])
    fields = load.form_fields(client.get(build.form_page).content.decode())
    assert fields["version"] == str(meeting.version)
    built = client.post(build.path, fields)
    assert built.status_code in build.ok
    assert build.follow in client.get(built.url).content.decode()
    meeting.refresh_from_db()
    assert meeting.version == int(fields["version"]) + 1
    # Posting the old version again is refused — and still redirects: only the page after says so,
    # which is why the scenario reads it.
    stale = client.post(build.path, fields)
    assert stale.status_code == 302
    assert build.follow not in client.get(stale.url).content.decode()
    # The analyst, who is not at the panel, is told there is no such page.
    assert _signed_in(client_for, "bench.analyst").get(page.path).status_code == 404


def test_each_link_save_saves_a_new_link(prepared, client_for):
    load = _bench_module("load")
    scenarios, data = prepared
    save = scenarios["link save with pattern checks (police)"]
    assert len(save.each) == len(data["link_pairs"]) and save.ok == (302,)
    client = _signed_in(client_for, "bench.police")
    base = load.form_fields(client.get(save.form_page).content.decode())
    for (path, fields), (child, entity) in zip(save.each[:3], data["link_pairs"], strict=False):
        response = client.post(path, {**base, **fields})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Link.objects.filter(child_id=child, entity_id=entity).exists()
    # A form sent back with an error is a 200: the scenario counts it as an error.
    path, fields = save.each[3]
    count = Link.objects.count()
    assert client.post(path, {**base, **fields, "kind": ""}).status_code == 200
    assert Link.objects.count() == count


class _Stub(BaseHTTPRequestHandler):
    """POST /saved/N → 302 to /done/ ("Saved."); POST /refused/ → 302 to /page/ (no message);
    POST /form/ → 200 (the form again, with its errors)."""

    posted: list[str] = []

    def _answer(self, status, body=b"", location=""):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self._answer(200, b'<form><input name="version" value="1"></form>'
                     + (b"Saved." if self.path == "/done/" else b""))

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).posted.append(self.path)
        if self.path.startswith("/saved/"):
            self._answer(302, location="http://127.0.0.1/done/#agenda")
        elif self.path == "/refused/":
            self._answer(302, location="/page/")
        else:
            self._answer(200, b"There is a problem")

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Stub.posted = []
    yield server.server_address[1]
    server.shutdown()


def test_the_load_tool_counts_a_post_that_saved_nothing_as_an_error(stub):
    load = _bench_module("load")
    sessions = {"someone": "key"}

    def measured(**kwargs):
        scenario = load.Scenario("s", "someone", method="POST", ok=(302,), **kwargs)
        return load.run("127.0.0.1", stub, sessions, scenario, users=3, seconds=0.3).summary()

    form_shown_again = measured(path="/form/")
    assert form_shown_again["requests"] > 0 and form_shown_again["errors"] == form_shown_again["requests"]

    saved = measured(path="/x/", form_page="/page/", each=[(f"/saved/{n}", {"n": n}) for n in range(4)],
                     follow="Saved.", users=1)
    assert saved["users"] == 1 and saved["errors"] == 0 and saved["requests"] > 4
    cycle = [p for p in _Stub.posted if p.startswith("/saved/")]
    assert cycle[:5] == ["/saved/0", "/saved/1", "/saved/2", "/saved/3", "/saved/0"]

    refused = measured(path="/refused/", form_page="/page/", follow="Saved.")
    assert refused["requests"] > 0 and refused["errors"] == refused["requests"]


def _outcome(**changes) -> dict:
    page = {"name": "floor", "requests": 9, "errors": 0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 2.0,
            "throughput_rps": 9.0, "users": 20}
    outcome = {"scale": "small", "vendor": "sqlite", "tag": "", "users": 20, "seconds_per_page": 2.0, "workers": 2,
               "machine": {"commit": "abc", "cores": 2, "cpu": "cpu", "memory_gb": 1, "python": "3.11"},
               "counts": {"children": 5000, "intelligence_links": 3316, "on_the_agenda": 24}, "load_seconds": None,
               "pages": [page, {**page, "name": "panel agenda build (chair)", "users": 1}], "recall": None,
               "tick_seconds": [], "worker_rss_mb": [], "skipped": {}, "only": "", "at": "now"}
    return {**outcome, **changes}


def test_the_report_names_only_what_was_not_measured_and_why(tmp_path):
    report = _bench_module("report")
    measured = report.table(_outcome(), tmp_path)
    assert "Not measured" not in measured
    assert "| panel agenda build (chair) — 1 at a time |" in measured
    assert "3,316 intelligence links, 24 children on the panel meeting's agenda" in measured
    run = _bench_module("run")
    assert run.not_measured({"link_pairs": [(1, 2)]}) == {}
    skipped = report.table(_outcome(skipped=run.not_measured({"link_pairs": []})), tmp_path)
    assert ("- Not measured in this page run: link save with pattern checks (the data set has no child known to the "
            "police and entity not yet linked to each other).") in skipped
    assert "panel agenda" not in skipped.split("Not measured", 1)[1]


def test_paced_users_pause_between_requests_and_stop_with_the_run(stub):
    """The paced pass: each user waits about ``think`` seconds between requests, so the same users
    send far fewer requests than when they ask again at once, and none sleeps past the run's end."""
    load = _bench_module("load")
    scenario = load.Scenario("s", "someone", path="/page/")
    at_once = load.run("127.0.0.1", stub, {"someone": "key"}, scenario, users=3, seconds=0.5).summary()
    paced = load.run("127.0.0.1", stub, {"someone": "key"}, scenario, users=3, seconds=0.5, think=0.2).summary()
    assert 0 < paced["requests"] < at_once["requests"] / 3
    assert paced["errors"] == 0 and paced["throughput_rps"] > 3  # every user kept going, about 5 a second each


def test_under_150_ms_is_read_from_the_paced_pass_at_region_scale(tmp_path):
    report = _bench_module("report")
    floor = {"name": "floor", "requests": 9, "errors": 0, "p50_ms": 200.0, "p95_ms": 250.0, "p99_ms": 260.0,
             "throughput_rps": 100.0, "users": 20, "paced": {"requests": 90, "errors": 0, "p50_ms": 5.0,
                                                              "p95_ms": 9.0, "p99_ms": 11.0, "throughput_rps": 15.0}}
    quick = {**floor, "name": "quick page", "p95_ms": 700.0, "paced": {**floor["paced"], "p95_ms": 60.0}}
    slow = {**floor, "name": "slow page", "p95_ms": 700.0, "paced": {**floor["paced"], "p95_ms": 190.0}}
    table = report.table(_outcome(scale="region", vendor="postgresql", pages=[floor, quick, slow], think_seconds=1.0,
                                  paced_seconds_per_page=6.0), tmp_path)
    assert "pausing 1 s on average between requests" in table
    assert "| quick page | 200.0 | 700.0 | 260.0 | 100.0 | 0 | 2.8× |  | 5.0 | 60.0 | 0 | yes |" in table
    assert "| slow page |" in table and table.split("| slow page |", 1)[1].split("\n", 1)[0].endswith("**no** |")


def test_pages_are_compared_with_the_mean_of_the_floor_at_the_start_and_at_the_end(tmp_path):
    report = _bench_module("report")
    floor = {"name": "floor", "requests": 9, "errors": 0, "p50_ms": 40.0, "p95_ms": 50.0, "p99_ms": 60.0,
             "throughput_rps": 300.0, "users": 20}
    again = {**floor, "name": report.FLOOR_AGAIN, "p95_ms": 70.0}
    page = {**floor, "name": "a page", "p95_ms": 180.0}
    table = report.table(_outcome(scale="region", vendor="postgresql", pages=[floor, page, again]), tmp_path)
    assert "| a page | 40.0 | 180.0 | 60.0 | 300.0 | 0 | 3.0× |" in table  # 180 ÷ mean(50, 70)
    assert f"| {report.FLOOR_AGAIN} |" in table and table.split(report.FLOOR_AGAIN, 1)[1].split("\n")[0].endswith("|")
    assert "(50 and 70 ms)" in table

"""A small bounded load generator: N threads, one keep-alive connection each, for S seconds.

Used by bench/run.py from its own process (never the server's). Each scenario is requested by
``users`` threads at once until its time is up; only the stdlib is used.
"""

from __future__ import annotations

import http.client
import itertools
import random
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Scenario:
    name: str
    persona: str
    path: str
    method: str = "GET"
    form: dict | None = None  # for a POST: fields on top of those read from the page's form
    form_page: str = ""  # the page whose form is posted (default: path)
    ok: tuple[int, ...] = (200,)
    # (path, fields) for each request in turn, shared by the threads and cycled: a POST that must
    # save something new each time (another child and entity to link) instead of ``path`` and ``form``.
    each: Sequence[tuple[str, dict]] = ()
    # Text the page a successful POST redirects to shows ("… has been built"): that page is read after
    # each request, untimed, and a redirect to a page without it counts as an error (a refusal shown
    # as a message); the next POST is built from that page's form (its new version).
    follow: str = ""
    users: int = 0  # at most this many at once (0: as many as the run has); one chair builds an agenda


@dataclass
class Stats:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    users: int = 0

    def summary(self) -> dict:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not ordered:
                return None
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

        return {"name": self.name, "requests": len(ordered), "errors": self.errors, "p50_ms": pct(0.50),
                "p95_ms": pct(0.95), "p99_ms": pct(0.99),
                "throughput_rps": round(len(ordered) / self.seconds, 1) if self.seconds else None,
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}, "users": self.users}


class _FormReader(HTMLParser):
    """The fields of the page's main form as a browser would submit them unchanged; a radio group with
    nothing chosen takes its first option."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.radios: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")
        if tag != "input" or not name:
            return
        kind = a.get("type", "text")
        if kind == "radio":
            self.radios.setdefault(name, a.get("value", ""))
            if "checked" in a:
                self.fields[name] = a.get("value", "")
        elif kind == "checkbox":
            if "checked" in a:
                self.fields[name] = a.get("value", "on")
        elif kind not in ("submit", "button", "file"):
            self.fields.setdefault(name, a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def values(self) -> dict[str, str]:
        return {**self.radios, **self.fields}


def form_fields(page: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(page)
    return reader.values()


class Client:
    def __init__(self, host: str, port: int, session: str) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=120)
        self.cookies = {"sessionid": session}
        self.location = ""  # where the last response redirected to (path and query)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1{path}"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, ""
        location = response.getheader("Location") or ""
        self.location = urlsplit(location)._replace(scheme="", netloc="", fragment="").geturl()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def form(self, path: str) -> dict[str, str]:
        status, text = self.request("GET", path)
        return form_fields(text)


def run(host: str, port: int, sessions: dict[str, str], scenario: Scenario, *, users: int, seconds: float,
        think: float = 0.0) -> Stats:
    """``users`` signed-in sessions request the page for ``seconds``. With ``think`` (seconds), each
    user pauses between requests for a random time averaging ``think`` (exponential, seeded per
    user, the first pause spread over the start so users do not move in step), as people reading a
    page do; without it they request again at once, which keeps the server saturated."""
    stats = Stats(scenario.name)
    lock = threading.Lock()
    users = min(users, scenario.users) if scenario.users else users
    start = threading.Barrier(users + 1)
    turns = itertools.count()

    def worker(number: int) -> None:
        client = Client(host, port, sessions[scenario.persona])
        base = client.form(scenario.form_page or scenario.path) if scenario.method == "POST" else None
        pauses = random.Random(number)
        start.wait()
        if think:
            time.sleep(pauses.uniform(0, think))
        while time.monotonic() < deadline:
            path, fields = scenario.path, scenario.form or {}
            if scenario.each:
                path, fields = scenario.each[next(turns) % len(scenario.each)]
            body = {**base, **fields} if base is not None else None
            began = time.perf_counter()
            status, _ = client.request(scenario.method, path, body)
            took = time.perf_counter() - began
            failed = status not in scenario.ok
            if scenario.follow and not failed:
                _status, page = client.request("GET", client.location)
                failed = scenario.follow not in page
                base = {**(base or {}), **form_fields(page)}
            with lock:
                stats.latencies.append(took)
                stats.statuses[status] = stats.statuses.get(status, 0) + 1
                if failed:
                    stats.errors += 1
            if think:  # never past the end of the run, which would stretch its measured length
                time.sleep(max(0.0, min(pauses.expovariate(1 / think), deadline - time.monotonic())))

    warm = Client(host, port, sessions[scenario.persona])  # one untimed request: templates compiled
    if scenario.method == "GET":
        warm.request("GET", scenario.path, None)
    else:
        warm.form(scenario.form_page or scenario.path)
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(users)]
    deadline = float("inf")
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    deadline = began + seconds
    for thread in threads:
        thread.join(timeout=seconds + 180)
    stats.seconds = time.monotonic() - began
    stats.users = users
    return stats


RECORD = re.compile(r"Record (\d+)")


def recall(host: str, port: int, session: str, queries: list[dict], *, top: int = 5) -> tuple[dict, Stats]:
    """Search for each planted child with its misspelt query: found when it is in the first ``top``."""
    client = Client(host, port, session)
    base = client.form("/children/")
    stats = Stats("search (planted queries)")
    found, missed = 0, []
    began = time.monotonic()
    for query in queries:
        dob = query["date_of_birth"].split("-") if query["date_of_birth"] else ["", "", ""]
        # The one name box, as a professional types it (the first and last name boxes are the exact search).
        body = {**base, "name": f"{query['first_name']} {query['last_name']}", "first_name": "", "last_name": "",
                "date_of_birth_day": dob[2] if dob[0] else "", "date_of_birth_month": dob[1] if dob[0] else "",
                "date_of_birth_year": dob[0]}
        t = time.perf_counter()
        status, text = client.request("POST", "/children/", body)
        stats.latencies.append(time.perf_counter() - t)
        stats.statuses[status] = stats.statuses.get(status, 0) + 1
        results = text.split('id="results"', 1)[-1].split("Create a new record", 1)[0] if 'id="results"' in text else ""
        ids = [int(i) for i in RECORD.findall(results)][:top]
        if query["child_id"] in ids:
            found += 1
        else:
            missed.append(query["kind"])
    stats.seconds = time.monotonic() - began
    kinds = {kind: missed.count(kind) for kind in sorted(set(missed))}
    return {"queries": len(queries), "found_in_top": found, "top": top,
            "recall": round(found / max(1, len(queries)), 3), "missed_by_kind": kinds}, stats

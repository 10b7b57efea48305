"""Browser journeys: Playwright driving Debian's chromium against a real server loaded with the demo.

The server runs as `make demo` runs it (demo data, runserver), but on a throwaway database and a
free port, with two-factor switched ON so that sign-in is tested as production does it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(os.environ.get("SAFEGUARD_SCREENSHOTS", ROOT / "test-results" / "screenshots"))
DEMO_PASSWORD = "Safeguard-demo-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "demo.sqlite3"
    env = {**os.environ, "SAFEGUARD_DEV": "1", "SAFEGUARD_TESTING": "0", "SAFEGUARD_REQUIRE_2FA": "1",
           "SAFEGUARD_SQLITE_PATH": str(db)}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "safeguard.manage"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "demo-data"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    log = open(db.parent / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/accessibility-statement/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"the test server did not start; see {db.parent / 'server.log'}") from None
            time.sleep(0.2)
    yield {"url": base, "env": env}
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


class TwoFactorKeys:
    """Remembers each demo user's authenticator key, read off the enrolment page as a person would."""

    def __init__(self):
        self.keys: dict[str, bytes] = {}
        self.last_step: dict[str, int] = {}
        self.sessions: dict[str, list] = {}

    def code(self, username: str) -> str:
        """A code the server will take: a code is good once, so a second sign-in within the same
        30 seconds uses the next step's code (the server allows one step of clock drift)."""
        step = int(time.time()) // 30
        drift = 1 if self.last_step.get(username, -1) >= step else 0
        self.last_step[username] = step + drift
        return f"{totp(self.keys[username], drift=drift):06d}"

    def forget(self, username: str) -> None:
        self.sessions.pop(username, None)


@pytest.fixture(scope="session")
def two_factor_keys():
    return TwoFactorKeys()


@pytest.fixture
def sign_in(page, two_factor_keys):
    """sign_in(username): password, then two-factor (enrolling on first use, as a new user would)."""
    from base64 import b32decode

    def _sign_in(username: str, target=page):
        if username in two_factor_keys.sessions:  # already signed in once this run: reuse the session
            target.context.add_cookies(two_factor_keys.sessions[username])
            target.goto("/")
            if "/accounts/" not in target.url:
                return target
        target.goto("/accounts/sign-in/")
        target.get_by_label("Username").fill(username)
        target.get_by_label("Password").fill(DEMO_PASSWORD)
        target.get_by_role("button", name="Sign in").click()
        if target.get_by_role("heading", name="Set up two-factor authentication").is_visible():
            secret = target.get_by_test_id("totp-secret").inner_text().replace(" ", "")
            secret += "=" * (-len(secret) % 8)
            two_factor_keys.keys[username] = b32decode(secret)
            target.get_by_label("Security code").fill(two_factor_keys.code(username))
            target.get_by_role("button", name="Continue").click()
            target.get_by_role("link", name="Continue").click()
        else:
            target.get_by_label("Security code").fill(two_factor_keys.code(username))
            target.get_by_role("button", name="Continue").click()
        two_factor_keys.sessions[username] = target.context.cookies()
        return target

    return _sign_in


def check_accessibility(page, name: str) -> None:
    """axe-core on the current page; fails on any serious or critical violation. Saves a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"accessibility violations on {name}: {bad}"

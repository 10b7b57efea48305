"""Supply-chain checks for `make lint` (docs/security.md, "Supply chain").

    python tools/supply_chain.py exceptions   # every security exception is documented and not overdue
    python tools/supply_chain.py audit        # pip-audit of constraints.txt against PyPI's advisories

``audit`` asks PyPI's JSON API (the one vulnerability service this network reaches) about every
pinned version in constraints.txt. It never passes silently: when the service cannot be reached,
or does not know some versions (a mirror's newer builds, a package not on PyPI), it says loudly
how many packages were NOT audited. Known vulnerabilities fail the check unless accepted in
security-exceptions.toml. Offline, it warns and passes; with SAFEGUARD_AUDIT_STRICT=1 (CI with
network) anything not audited fails too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "security-exceptions.toml"
BIN = Path(sys.executable).parent
NOQA = re.compile(r"#\s*noqa:\s*([A-Z0-9, ]+)")
CHECKED = ("safeguard", "tests", "bench", "tools")


def _exceptions() -> dict:
    return tomllib.loads(EXCEPTIONS.read_text(encoding="utf-8"))


def _overdue(entry: dict, today: date) -> bool:
    return date.fromisoformat(entry["review_by"]) < today


def check_exceptions(today: date | None = None) -> list[str]:
    """Problems: an S rule switched off with no entry, an entry with no reason, a review date passed."""
    today = today or date.today()
    data = _exceptions()
    entries = data.get("ruff", [])
    problems = []
    for entry in [*entries, *data.get("pip_audit", [])]:
        if not entry.get("reason", "").strip():
            problems.append(f"exception {entry} has no reason")
        if _overdue(entry, today):
            problems.append(f"exception {entry.get('rule') or entry.get('id')} at {entry.get('where', '')!r} was "
                            f"due for review on {entry['review_by']}: review it and set a new date, or remove it")

    def documented(rule: str, path: str) -> bool:
        return any(e["rule"] == rule and path.startswith(e["where"]) for e in entries)

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = pyproject["tool"]["ruff"]["lint"]
    for rule in lint.get("ignore", []):
        if rule.startswith("S") and not documented(rule, ""):
            problems.append(f"pyproject.toml ignores {rule} everywhere without an entry in {EXCEPTIONS.name}")
    for pattern, rules in lint.get("per-file-ignores", {}).items():
        prefix = pattern.split("*")[0]
        for rule in rules:
            if rule.startswith("S") and not documented(rule, prefix):
                problems.append(f"pyproject.toml ignores {rule} for {pattern} without an entry in {EXCEPTIONS.name}")
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/vendor/" in relative:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for found in NOQA.finditer(line):
                    for rule in (r.strip() for r in found.group(1).split(",")):
                        if rule.startswith("S") and rule[1:].isdigit() and not documented(rule, relative):
                            problems.append(f"{relative}:{number} switches off {rule} without an entry in "
                                            f"{EXCEPTIONS.name}")
    return problems


def audit() -> int:
    strict = os.environ.get("SAFEGUARD_AUDIT_STRICT", "") == "1"
    accepted = [e for e in _exceptions().get("pip_audit", []) if not _overdue(e, date.today())]
    command = [str(BIN / "pip-audit"), "-r", str(ROOT / "constraints.txt"), "--no-deps", "--disable-pip",
               "--vulnerability-service", "pypi", "--format", "json", "--progress-spinner", "off",
               "--timeout", "20"]
    for entry in accepted:
        command += ["--ignore-vuln", entry["id"]]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        return _not_audited(f"pip-audit could not run: {error}", strict)
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    dependencies = report.get("dependencies", [])
    if not dependencies:
        reason = (done.stderr.strip().splitlines() or ["no answer"])[-1]
        return _not_audited(f"the vulnerability service (PyPI's JSON API) could not be reached: {reason}", strict)
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    print(f"pip-audit: {audited} of {len(dependencies)} locked packages audited against PyPI's advisories, "
          f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities"
          + (f", {len(accepted)} accepted in {EXCEPTIONS.name}" if accepted else ""))
    if skipped:
        names = ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped[:12])
        more = f" and {len(skipped) - 12} more" if len(skipped) > 12 else ""
        print(f"WARNING: {len(skipped)} locked packages were NOT audited (the service does not know these "
              f"versions): {names}{more}")
    if vulnerable:
        return 1
    if skipped and strict:
        print("SAFEGUARD_AUDIT_STRICT=1: packages that could not be audited fail the check")
        return 1
    return 0


def _not_audited(message: str, strict: bool) -> int:
    print(f"WARNING: NOT AUDITED: {message}. The locked dependencies were not checked for known vulnerabilities.")
    return 1 if strict else 0


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "exceptions":
        problems = check_exceptions()
        for problem in problems:
            print(problem)
        if not problems:
            print(f"Security exceptions: every one documented in {EXCEPTIONS.name}, none overdue for review")
        return 1 if problems else 0
    if what == "audit":
        return audit()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())

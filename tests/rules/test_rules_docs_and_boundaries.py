"""docs/rules.md is current, and the rules package stays plain Python."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from safeguard.rules import RULES_VERSION, Params, docs
from safeguard.rules._tables import load

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "safeguard" / "rules"


def test_docs_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == docs.render_markdown(Params()), "run `safeguard rules docs --write`"


def test_docs_name_every_code_threshold_and_the_version():
    text = docs.render_markdown(Params())
    assert RULES_VERSION in text
    for item in load("screening")["items"]:
        assert f"| {item['code']} |" in text and item["label"] in text
    for code in load("sexual_activity")["criteria"]["text"]:
        assert f"| {code} |" in text
    for rule in load("sexual_activity")["rules"]:
        assert f"| {rule['id']} |" in text
    for reason in load("return_interview")["priority_reasons"]:
        assert f"`{reason['code']}`" in text
    for family in load("language")["families"]:
        assert f"`{family['code']}`" in text
    for name, default, _doc, section in Params.described():
        assert f"`{name}` | {default} | {default} |" in text and f"§{section}" in text


def test_docs_show_the_thresholds_in_force():
    text = docs.render_markdown(Params(over16_age_gap_years=12))
    assert "`over16_age_gap_years` | 12 | 10 |" in text
    assert "a partner 12 or more years older" in text


def test_rules_package_imports_no_django_and_no_other_safeguard_module():
    code = (
        "import sys\n"
        "import safeguard.rules, safeguard.rules.contract, safeguard.rules.docs\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'}\n"
        "       or (m.startswith('safeguard.') and not m.startswith('safeguard.rules'))]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr


def test_rules_package_reads_no_clock():
    for path in RULES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"now", "today", "utcnow", "time"}:
                raise AssertionError(f"{path.name}:{node.lineno} reads the clock ({node.attr})")

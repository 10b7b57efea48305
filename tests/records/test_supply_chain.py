"""The supply-chain checks in `make lint` fail when they should and never pass silently."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def supply_chain():
    spec = importlib.util.spec_from_file_location("supply_chain", ROOT / "tools" / "supply_chain.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_projects_exceptions_are_all_documented_and_current(supply_chain):
    assert supply_chain.check_exceptions(today=date(2026, 12, 1)) == []


def test_an_overdue_review_fails(supply_chain):
    problems = supply_chain.check_exceptions(today=date(2027, 6, 2))
    assert problems and all("due for review" in p for p in problems)


def test_an_undocumented_noqa_fails(supply_chain, tmp_path, monkeypatch):
    (tmp_path / "safeguard").mkdir()
    (tmp_path / "safeguard" / "thing.py").write_text("import subprocess\nsubprocess.run(['ls'])  # noqa: S603, S607\n")
    (tmp_path / "pyproject.toml").write_text('[tool.ruff.lint]\nignore = ["S101", "S608"]\n')
    (tmp_path / "security-exceptions.toml").write_text(
        '[[ruff]]\nrule = "S101"\nwhere = ""\nreason = "asserts"\nreview_by = "2027-06-01"\n'
        '[[ruff]]\nrule = "S607"\nwhere = "safeguard/thing.py"\nreason = "ls from PATH"\nreview_by = "2027-06-01"\n')
    monkeypatch.setattr(supply_chain, "ROOT", tmp_path)
    monkeypatch.setattr(supply_chain, "EXCEPTIONS", tmp_path / "security-exceptions.toml")
    monkeypatch.setattr(supply_chain, "CHECKED", ("safeguard",))
    problems = supply_chain.check_exceptions(today=date(2026, 12, 1))
    assert problems == [
        "pyproject.toml ignores S608 everywhere without an entry in security-exceptions.toml",
        "safeguard/thing.py:2 switches off S603 without an entry in security-exceptions.toml",
    ]


def test_an_unreachable_service_is_said_out_loud(supply_chain, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(supply_chain, "BIN", tmp_path)  # no pip-audit there: as good as no network
    assert supply_chain.audit() == 0
    assert "NOT AUDITED" in capsys.readouterr().out
    monkeypatch.setenv("SAFEGUARD_AUDIT_STRICT", "1")
    assert supply_chain.audit() == 1

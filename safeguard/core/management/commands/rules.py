"""`safeguard rules ...`: the handbook rules from the command line (docs/contracts.md).

    safeguard rules screening|sexual-activity|return-interview|language  < input.json
    safeguard rules docs --check | --write

A thin shell: all logic is in ``safeguard.rules.contract`` and ``safeguard.rules.docs``. JSON goes
out on standard output with exit status 0, or ``{"error": ..., "field": ...}`` with exit status 2
for input that is not valid (including a malformed command line). A misconfigured
``SAFEGUARD_RULES`` setting exits 1 with the same JSON shape. Never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand

from safeguard.rules import contract, docs
from safeguard.rules.params import Params


def _docs_path() -> Path:
    """docs/rules.md in the project directory (settings.PROJECT_DIR, else this checkout)."""
    project = getattr(settings, "PROJECT_DIR", None) or Path(__file__).resolve().parents[4]
    return Path(project) / "docs" / "rules.md"


def _emit(status: int, body: dict[str, Any]) -> NoReturn:
    # UTF-8 bytes whatever the locale: suggestions contain curly quotes and ellipses.
    sys.stdout.flush()
    sys.stdout.buffer.write((json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.buffer.flush()
    raise SystemExit(status)


class Command(BaseCommand):
    help = "Evaluate the handbook rules on JSON from standard input, or check/write docs/rules.md."
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            _emit(contract.INPUT_ERROR, {"error": f"command line: {message}", "field": None})

        parser.error = error  # type: ignore[method-assign]  # a bad command line answers in the contract's JSON, not argparse text
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("subcommand", help=", ".join([*contract.COMMANDS, "docs"]))
        parser.add_argument("--check", action="store_true", help="docs: fail if docs/rules.md is stale")
        parser.add_argument("--write", action="store_true", help="docs: write docs/rules.md")
        parser.add_argument("--path", type=Path, default=None, help="docs: the file (default docs/rules.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            params = Params.from_mapping(getattr(settings, "SAFEGUARD_RULES", None) or {})
        except (TypeError, ValueError) as error:
            _emit(1, {"error": f"SAFEGUARD_RULES setting: {error}", "field": None})
        subcommand = options["subcommand"]
        if subcommand == "docs":
            self._docs(params, options)
        if options["check"] or options["write"] or options["path"]:
            _emit(
                contract.INPUT_ERROR,
                {"error": "--check, --write and --path belong to `rules docs`", "field": None},
            )
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            _emit(contract.INPUT_ERROR, {"error": "the input is not UTF-8 text", "field": None})
        _emit(*contract.run(subcommand, text, params))

    def _docs(self, params: Params, options: dict[str, Any]) -> NoReturn:
        path: Path = options["path"] or _docs_path()
        text = docs.render_markdown(params)
        if options["write"] == options["check"]:
            _emit(
                contract.INPUT_ERROR,
                {"error": "rules docs needs exactly one of --check or --write", "field": None},
            )
        if options["write"]:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            sys.stdout.write(f"wrote {path}\n")
            raise SystemExit(0)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            sys.stderr.write(
                f"{path} is out of date with the rules tables: run `safeguard rules docs --write`\n"
            )
            raise SystemExit(1)
        sys.stdout.write(f"{path} is up to date\n")
        raise SystemExit(0)

"""The product's own words never trip its own language check (§8): every form label and help text,
every template's text and every handbook text in the rules tables that the product shows."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tomllib
from pathlib import Path

import pytest
from django import forms

import safeguard
from safeguard.rules import language

ROOT = Path(safeguard.__file__).resolve().parent
# §9 guidance is shown only where sexual activity between peers is weighed (§9.2, §9.7).
TABLE_CONTEXT = {"sexual_activity.toml": language.PEER_SEXUAL_ACTIVITY}


def _form_texts():
    for module in pkgutil.walk_packages(safeguard.__path__, "safeguard."):
        if not module.name.endswith(".forms"):
            continue
        loaded = importlib.import_module(module.name)
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                for field_name, field in cls.base_fields.items():
                    for text in (field.label, field.help_text):
                        if text:
                            yield f"{module.name}.{name}.{field_name}", str(text)


def _template_texts():
    for path in ROOT.rglob("*.html"):
        text = re.sub(r"\{[%{#].*?[%}#]\}|<[^>]+>", " ", path.read_text(encoding="utf-8"), flags=re.S)
        yield str(path.relative_to(ROOT)), text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _table_texts():
    for path in sorted((ROOT / "rules" / "tables").glob("*.toml")):
        if path.name == "language.toml":  # the check's own table lists the words it flags
            continue
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            yield path.name, text


def test_there_are_texts_to_scan():
    assert sum(1 for _ in _form_texts()) > 100 and sum(1 for _ in _template_texts()) > 50


@pytest.mark.parametrize("source", ["forms", "templates", "tables"])
def test_the_products_own_words_raise_no_flag(source):
    texts = {"forms": _form_texts, "templates": _template_texts, "tables": _table_texts}[source]()
    flagged = [
        (where, flag.code, flag.text)
        for where, text in texts
        for flag in language.check(text, context=TABLE_CONTEXT.get(where, ""))
    ]
    assert flagged == []

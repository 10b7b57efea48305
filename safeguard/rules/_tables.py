"""Load the handbook tables (``tables/*.toml``) shipped inside the package.

The only I/O the rules package does. Tables are read once and cached; callers get read-only views.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


@cache
def load(name: str) -> Any:
    """The table ``tables/<name>.toml`` as nested read-only mappings and tuples."""
    text = files("safeguard.rules").joinpath("tables").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return _freeze(tomllib.loads(text))


RULES_VERSION: str = load("meta")["version"]

"""The flags in a text and how they read to the writer (§8)."""

from __future__ import annotations

from safeguard.rules import language as rules_language

Flag = rules_language.Flag
MAX_CHECKED_LENGTH = 20_000  # the live check looks at no more than this many characters


def language_flags(text: str) -> list[Flag]:
    """Every flag in ``text`` (§8), sorted by position. Quoted words are never flagged."""
    return rules_language.check(text or "")


def flag_message(flag: Flag) -> str:
    why = (getattr(flag, "why", "") or "").strip().rstrip(".")
    message = f"‘{flag.text}’"
    if why:
        message += f": {why[:1].lower()}{why[1:]}"
    return f"{message}. You could write: {flag.suggestion}"


def flag_codes(flags: list[Flag]) -> list[str]:
    return sorted({flag.code for flag in flags})

"""The flags in a text and how they read to the writer (§8)."""

from __future__ import annotations

from safeguard.rules import language as rules_language

Flag = rules_language.Flag
MAX_CHECKED_LENGTH = 20_000  # the live check looks at no more than this many characters


CONTEXTS = rules_language.CONTEXTS
PEER_SEXUAL_ACTIVITY = rules_language.PEER_SEXUAL_ACTIVITY


def language_context(value: object) -> str:
    """A context a request or form names, if it is one the check knows; else none."""
    return value if isinstance(value, str) and value in CONTEXTS else ""


def language_flags(text: str, *, context: str = "") -> list[Flag]:
    """Every flag in ``text`` (§8), sorted by position. Quoted words are never flagged. ``context``
    names where the text is written (``rules.language.CONTEXTS``): a family the table does not flag
    there is left out (``consent`` in the reasons of a §9 assessment between peers, §9.2, §9.7)."""
    return rules_language.check(text or "", context=context)


def flag_message(flag: Flag) -> str:
    why = (getattr(flag, "why", "") or "").strip().rstrip(".")
    message = f"‘{flag.text}’"
    if why:
        message += f": {why[:1].lower()}{why[1:]}"
    return f"{message}. You could write: {flag.suggestion}"


def flag_codes(flags: list[Flag]) -> list[str]:
    return sorted({flag.code for flag in flags})

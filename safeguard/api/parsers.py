"""The API's one JSON parser (issue 11 item 14): a body is one JSON object, nested no deeper than
``MAX_DEPTH``; anything else is a 400, never a 500 (`null`, `[]`, 100,000 nested brackets)."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20


def _too_deep(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested more than {MAX_DEPTH} deep") from None
        if not isinstance(data, dict):
            raise ParseError("Send a JSON object: {\"field\": value, …}")
        if _too_deep(data, MAX_DEPTH):
            raise ParseError(f"JSON nested more than {MAX_DEPTH} deep")
        return data

"""A tiny HTML reader for assertions: every element with its attributes and text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Element]:
        """Descendants by tag, by one class, and by attributes (data_module= means data-module=)."""
        found = []
        for el in self.iter():
            if el is self or (tag and el.tag != tag) or (cls and cls not in el.classes):
                continue
            if all(el.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                found.append(el)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def by_id(self, id_: str) -> Element:
        for el in self.iter():
            if el.attrs.get("id") == id_:
                return el
        raise AssertionError(f"no element with id {id_!r}")

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(el.text.split()) for el in self.iter() if el.text.strip())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs))
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].text += data


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(str(html))
    builder.close()
    return builder.root


_PER_REQUEST = [
    (re.compile(r'(<meta name="csrf-token" content=")[^"]*(")'), r"\1CSRF\2"),
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")'), r"\1CSRF\2"),
    (re.compile(r'( nonce=")[^"]*(")'), r"\1NONCE\2"),
]


def without_per_request_tokens(html: str | bytes) -> str:
    """The page with its CSRF tokens (masked afresh for every response) and CSP nonces blanked.

    Two responses that should be indistinguishable (a hidden record and a missing one) differ
    only in these values, which carry no information about what was asked for.
    """
    text = html.decode() if isinstance(html, bytes) else html
    for pattern, replacement in _PER_REQUEST:
        text = pattern.sub(replacement, text)
    return text

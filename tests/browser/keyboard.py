"""Moving through a page with the keyboard alone, as the keyboard-only journeys do: Tab to a control
by what its label or text says, then Enter, Space, the arrow keys or typing. No mouse, no clicks."""

from __future__ import annotations

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return {tag: e.tagName, type: (e.type || '').toLowerCase(),
          text: (label || e.innerText || e.value || e.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim()};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, text: str, *, tags=("A", "BUTTON", "INPUT", "TEXTAREA", "SELECT"), exact: bool = False,
           limit: int = 300) -> dict:
    """Press Tab until the focused control's label or text contains ``text`` (is ``text``, if exact)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        shown = now["text"].lower()
        if now["tag"] in tags and (shown == text.lower() if exact else text.lower() in shown):
            return now
    raise AssertionError(f"{text!r} cannot be reached with the Tab key")


def enter_and_wait(page) -> None:
    """Enter on the focused link or button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_date(page, day) -> None:
    """The three boxes of a GOV.UK date, reached with Tab from the control before them."""
    for box, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        tab_to(page, box, tags=("INPUT",), exact=True)
        page.keyboard.type(str(value))


def choose_by_arrows(page, group, choice: str, *, limit: int = 10) -> None:
    """In a radio group whose first option has focus: the arrow keys move to ``choice``, choosing it."""
    for _ in range(limit):
        if group.get_by_label(choice, exact=True).is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{choice!r} cannot be chosen with the arrow keys")

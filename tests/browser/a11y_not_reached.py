"""Pages a role may open (the authorization matrix says 200) that the axe scan does not reach as that
role. Empty: the demo has a record of every kind for each role that may open it (tests/test_demo_data.py,
test_the_school_s_staff_have_a_record_of_every_kind_to_open), and the scan finds each one.

The list may only shrink, so it stays empty (tests/test_demo_data.py fails if an entry is added): a
page the scan does not reach as a role fails `make test-a11y`; the cure is a demo record the role
can see, or a link to it, never an entry here. The scan also fails on a page listed here that it
did reach.
"""

from __future__ import annotations

# Last run, 1 December 2026: all 587 role-page pairs scanned as their role, and 19 key states (figures in
# docs/security.md, Accessibility).
NOT_REACHED: dict[str, set[str]] = {}

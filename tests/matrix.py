"""The vocabulary of the authorization matrix, shared by tests/test_authorization_matrix.py and the
per-app rows in tests/matrix_rows/ (one module per app, each defining ROWS: dict[str, Row])."""

from __future__ import annotations

from dataclasses import dataclass, field

PERSONAS = [
    "anonymous", "practitioner", "health_practitioner", "residential_worker", "named_lead", "designated_lead",
    "senior_manager", "mash_worker", "police_lead", "panel_chair", "analyst", "admin", "outsider",
    "panel_member",
]
# Groups used in the rows below.
CHILD_WORKERS = {"practitioner", "health_practitioner", "residential_worker", "named_lead", "designated_lead",
                 "senior_manager", "mash_worker", "police_lead", "outsider"}
# Who sees the school's child: the school's own staff, and the roles that cover every child.
SEES_SCHOOL_CHILD = {"practitioner", "named_lead", "designated_lead", "senior_manager", "mash_worker", "police_lead"}


@dataclass
class Expect:
    default: int
    only: dict[str, int] = field(default_factory=dict)

    def for_persona(self, persona: str) -> int:
        return self.only.get(persona, self.default)


def who(status: int, personas, otherwise: int, anonymous: int = 302) -> Expect:
    only = {p: status for p in personas}
    only.setdefault("anonymous", anonymous)
    return Expect(otherwise, only)


SIGNED_IN_200 = Expect(200, {"anonymous": 302})
POST_ONLY = Expect(405)


@dataclass
class Row:
    kwargs: callable = None  # ctx -> dict of URL kwargs
    get: Expect | None = None
    post: Expect | None = None
    query: str = ""
    put: Expect | None = None  # an API edit: sent with an empty body
    patch: Expect | None = None


def school_child(ctx):
    return {"child_id": ctx["child"].pk}


# Children's records (issue 4). Every role that works with child-level records may search, create and
# use the language check; panel chairs hold such a role (CHILD_LEVEL_ROLES), so they are included.
CHILD_LEVEL = CHILD_WORKERS | {"panel_chair", "panel_member"}


def api_expect(status: int, personas, child_level_otherwise: int) -> Expect:
    """API answers: 403 for the anonymous and for roles without child records, as DRF says it."""
    only = {p: child_level_otherwise for p in CHILD_LEVEL}
    only.update({p: status for p in personas})
    return Expect(403, only)



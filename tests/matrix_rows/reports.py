"""Authorization-matrix rows for reports: the board report (the analyst and named leads, aggregates
only), the named lead's dashboard, training records."""

from tests.matrix import Expect, Row, who

BOARD = {"analyst", "named_lead"}
PERIOD = "?first_day=1&first_month=1&first_year=2025&last_day=31&last_month=12&last_year=2025"


def school_teacher(ctx):
    return {"user_id": ctx["personas"].practitioner.pk}


ROWS = {
    "reports:board": Row(get=who(200, BOARD, 404), query=PERIOD),
    "reports:board_csv": Row(get=who(200, BOARD, 404), query=PERIOD),
    "reports:board_pdf": Row(get=who(200, BOARD, 404), query=PERIOD),
    "reports:dashboard": Row(get=who(200, {"named_lead"}, 404)),
    # The police CSE lead, named leads and the panel (its chair here).
    "reports:local_profile": Row(get=who(200, {"police_lead", "named_lead", "panel_chair", "panel_member"}, 404)),
    "reports:training": Row(get=who(200, {"named_lead", "admin"}, 404)),
    # The school's named lead and an administrator record the school teacher's training; an empty
    # form comes back with its errors (200).
    "reports:training_edit": Row(kwargs=school_teacher, get=who(200, {"named_lead", "admin"}, 404),
                                 post=who(200, {"named_lead", "admin"}, 404)),
    # The API: 403 for everyone else, as DRF says it (anonymous included).
    "api:reports-board": Row(get=Expect(403, {p: 200 for p in BOARD}), query="?first=2025-01-01&last=2025-12-31"),
    "api:reports-dashboard": Row(get=Expect(403, {"named_lead": 200})),
}

__all__ = ["ROWS", "Expect"]

"""Authorization-matrix rows for asking to join a child's circle (issue 11 item 7)."""

from tests.matrix import SEES_SCHOOL_CHILD, Row, school_child, who

ROWS = {
    # The page takes anyone who may change the child (an empty POST is shown again with errors).
    "children:involvement_request": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                      post=who(200, SEES_SCHOOL_CHILD, 404)),
    # Named leads answer; a POST without a request number is "no such request".
    "children:involvement_requests": Row(get=who(200, {"named_lead"}, 404), post=who(404, {"named_lead"}, 404)),
}

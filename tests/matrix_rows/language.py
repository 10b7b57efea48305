"""The live language check (§8): only for people who work with children; anyone else gets 404."""

from tests.matrix import CHILD_LEVEL, Expect, Row, who

ROWS = {
    "language:check": Row(get=Expect(405), post=who(200, CHILD_LEVEL, 404)),
}

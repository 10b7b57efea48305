from tests.matrix import SIGNED_IN_200, Expect, Row

ROWS = {
    "notifications:inbox": Row(get=SIGNED_IN_200),
    "notifications:mark_read": Row(get=Expect(405), post=Expect(302)),
}

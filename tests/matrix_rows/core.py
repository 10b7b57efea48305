from tests.matrix import SIGNED_IN_200, Row

ROWS = {
    "signed_in_floor": Row(get=SIGNED_IN_200),
}

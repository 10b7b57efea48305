import pytest

from safeguard.children.identifiers import nhs_number_problem, upn_check_letter, upn_problem


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("4010232137", True),
        ("9434765918", False),  # wrong check digit
        ("9434765910", False),
        ("1234567890", False),  # remainder 10: no valid check digit exists
        ("943476591", False),  # 9 digits
        ("94347659190", False),
        ("94347659l9", False),
    ],
)
def test_nhs_number_modulus_11(value, ok):
    assert (nhs_number_problem(value) is None) is ok


def test_nhs_number_errors_are_plain_words():
    assert "10 digits" in nhs_number_problem("12345")
    assert "not a real NHS number" in nhs_number_problem("9434765918")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("B801200005001", True),
        ("b801200005001", True),
        ("A801200005001", False),  # wrong check letter
        ("B80120000500", False),  # 12 characters
        ("I801200005001", False),  # I is never a check letter
        ("X80120000A001", False),  # letters only at the ends
    ],
)
def test_unique_pupil_number(value, ok):
    assert (upn_problem(value) is None) is ok


def test_temporary_upn_ends_in_a_letter_and_is_checked():
    body = "80120000500A"
    good = upn_check_letter(body) + body
    assert upn_problem(good) is None
    wrong = ("B" if good[0] != "B" else "C") + body
    assert "not a real unique pupil number" in upn_problem(wrong)

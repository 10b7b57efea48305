"""A child's identifiers: NHS number (modulus 11) and unique pupil number (DfE check letter).

Plain functions with no Django, so the forms, the API and the tests share one definition.
Each ``*_problem`` function returns ``None`` for a good value, or the plain-words reason it is not.
"""

from __future__ import annotations

import re

_NHS_WEIGHTS = range(10, 1, -1)  # the first nine digits are weighted 10, 9, ... 2


def nhs_number_normalise(value: str) -> str:
    """Digits only: '943 476 5919' and '943-476-5919' are both '9434765919'."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no number can end them (remainder 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str) -> str | None:
    number = nhs_number_normalise(value)
    if not number.isdigit() or len(number) != 10:
        return "Enter an NHS number with 10 digits, like 943 476 5919"
    if nhs_number_check_digit(number[:9]) != int(number[9]):
        return "This is not a real NHS number: check each digit against the child's records"
    return None


# DfE: letters stand for 0-22 in this order (no I, O or S); a digit stands for itself.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_normalise(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2-13 of a UPN: each weighted by its position, total mod 23."""
    total = 0
    for position, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else _UPN_LETTERS.index(char)
        total += position * value
    return _UPN_LETTERS[total % 23]


_UPN_SHAPE = re.compile(rf"[{_UPN_LETTERS}]\d{{11}}[\d{_UPN_LETTERS}]")


def upn_problem(value: str) -> str | None:
    """A UPN is a check letter, 11 digits and a last digit (a letter in a temporary UPN)."""
    upn = upn_normalise(value)
    if len(upn) != 13:
        return "Enter a unique pupil number with 13 characters, like B801200005001"
    if not _UPN_SHAPE.fullmatch(upn):
        return "A unique pupil number starts with a letter, then 11 numbers, then a number or a letter"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "This is not a real unique pupil number: check each character against the school's records"
    return None

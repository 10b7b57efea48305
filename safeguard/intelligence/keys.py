"""Normalised keys: the one spelling of a vehicle, phone, handle or place that makes recording the
same thing twice land on the same entity (intelligence.md "Entities"). Pure functions, no database.

A person has no key: people are matched by name and age with the children app's sound-alike matcher
and offered as likely matches before a new record is made (``selectors.person_likely_matches``).
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "GB"

# A UK postcode: outward code (area letters, district) and inward code (sector digit, unit letters).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
# A current-style UK registration (two letters, two digits, three letters): for reading free text.
REGISTRATION_IN_TEXT = re.compile(r"\b([A-Za-z]{2}[0-9]{2}) ?([A-Za-z]{3})\b")


def registration_key(text: str) -> str:
    """Upper case, letters and digits only: "ab12 cde" and "AB12-CDE" are both "AB12CDE"."""
    return _NOT_ALNUM.sub("", (text or "").upper())


def phone_key(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 ("+447700900123"), read as a UK number unless it says otherwise.
    Raises ValueError for something that is not a possible phone number."""
    try:
        parsed = phonenumbers.parse(text or "", region)
    except phonenumbers.NumberParseException as error:
        raise ValueError("Enter a phone number, like 07700 900123 or +44 7700 900123") from error
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("Enter a phone number, like 07700 900123 or +44 7700 900123")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(key: str) -> str:
    """The E.164 key written as people read it: "+44 7700 900123" (national form for UK numbers)."""
    try:
        parsed = phonenumbers.parse(key, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return key
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def handle_key(platform: str, handle: str) -> str:
    """Platform and handle, lower case, without a leading @ or spaces: "snapchat:kaz_99"."""
    plain = re.sub(r"\s+", "", (handle or "").strip().lower()).lstrip("@")
    return f"{(platform or '').strip().lower()}:{plain}"


def postcode_key(text: str) -> str:
    """A UK postcode in its standard form ("LS1 4AP"), or ValueError."""
    plain = _NOT_ALNUM.sub("", (text or "").upper())
    match = _POSTCODE.match(plain)
    if not match:
        raise ValueError("Enter a full UK postcode, like LS1 4AP")
    return f"{match.group(1)} {match.group(2)}"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower()).split())


def place_key(*, address: str = "", postcode: str = "", name: str = "") -> str:
    """An address is known by its postcode and first line; a named place by its name and area-free
    words. "12 Elm St, LS1 4AP" and "12 elm st., ls14ap" are one place."""
    if postcode:
        first_line = _words((address or "").split(",")[0] or name)
        return f"{postcode_key(postcode)}|{first_line}"
    return f"named|{_words(name or address)}"


def registrations_in(text: str) -> list[str]:
    """Every current-style registration written in free text, as keys, in order, once each."""
    found: list[str] = []
    for a, b in REGISTRATION_IN_TEXT.findall(text or ""):
        key = registration_key(a + b)
        if key not in found:
            found.append(key)
    return found


def phones_in(text: str) -> list[str]:
    """Every UK or international number written in free text (ten digits or more), as E.164 keys,
    once each."""
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text or "", DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        if sum(c.isdigit() for c in match.raw_string) < 10:  # dates and references are not numbers
            continue
        key = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if key not in found:
            found.append(key)
    return found

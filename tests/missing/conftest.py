"""Fixtures for the missing-episode tests: a child in residential care, and fixed clocks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from safeguard.accounts.models import Role
from tests.factories import child as make_child
from tests.factories import user

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def cared_for(personas):
    """Kayleigh, looked after at Care View Children's Home; her social worker is the MASH worker."""
    return make_child(
        first_name="Kayleigh", last_name="Brown", involved=[personas.residential], lead=personas.residential,
        looked_after=True, placement="Care View Children's Home", lead_professional=personas.mash_worker,
    )


@pytest.fixture
def home_manager(personas):
    """The residential unit's named lead (the unit manager)."""
    return user("una_unit", personas.residential, Role.NAMED_LEAD, Role.PRACTITIONER)


@pytest.fixture
def clock(time_machine):
    """clock(moment) stops time at that moment (time-machine); call again to move it."""

    def _move(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return _move


@pytest.fixture
def sign_in(client, client_for):
    """A fresh signed-in session for this user (after a time jump the old session has expired)."""

    def _sign_in(person):
        client.logout()
        return client_for(person)

    return _sign_in

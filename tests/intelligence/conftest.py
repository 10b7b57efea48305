"""Fixtures shared by the intelligence tests."""

from __future__ import annotations

import pytest

from tests.factories import child


@pytest.fixture
def girls(personas):
    """Jodie, known to the school, and Kayleigh Ward, in the residential home's care."""
    jodie = child(first_name="Jodie", involved=[personas.school], lead=personas.school)
    kayleigh = child(first_name="Kayleigh", last_name="Ward", involved=[personas.residential],
                     lead=personas.residential)
    return jodie, kayleigh

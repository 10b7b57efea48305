"""Fixtures for the children tests: records made through the services, as the product makes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from safeguard.children import services
from safeguard.children.models import Source


def make_child(actor, first="Jodie", last="Smyth", dob=date(2012, 5, 14), aliases=(), **values):
    data = services.ChildData(first, last, values={"date_of_birth": dob, **values}, aliases=list(aliases))
    return services.child_create(actor=actor, data=data)


def happened(year=2025, month=3, day=1, hour=16, minute=30, source=Source.SEEN):
    return services.WhatHappened(
        occurred_at=timezone.make_aware(datetime(year, month, day, hour, minute)), source=source
    )


@pytest.fixture
def school_child(personas):
    """Jodie Smyth, aka 'JJ Smith', recorded by the school practitioner."""
    return make_child(personas.practitioner, aliases=[("JJ", "Smith")])

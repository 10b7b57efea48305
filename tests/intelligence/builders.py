"""Builders for intelligence tests and matrix rows: everything made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from safeguard.intelligence import services
from tests.factories import access_for


def vehicle(actor, registration="AB12 CDE", **extra):
    return services.entity_save(actor=actor, data=services.EntityData(
        kind="vehicle", registration=registration, colour=extra.pop("colour", "silver"), **extra)).entity


def person(actor, name="Kaz", *, confirm=True, **extra):
    return services.entity_save(actor=actor, data=services.EntityData(kind="person", name=name, **extra),
                                confirm_new_person=confirm).entity


def place(actor, name="Eastgate Shopping Centre", **extra):
    return services.entity_save(actor=actor, data=services.EntityData(kind="place", name=name, **extra)).entity


def phone(actor, number="07700 900123"):
    return services.entity_save(actor=actor, data=services.EntityData(kind="phone", number=number)).entity


def link(actor, child, entity, *, kind="seen_with", days_ago: int = 1, handling="P", conditions=""):
    return services.link_child(
        access=access_for(actor, child), entity=entity,
        details=services.LinkDetails(
            kind=kind, occurred_on=timezone.localdate() - timedelta(days=days_ago),
            grading=services.Grading("2", "B", handling, conditions),
        ),
    )


def on(day_offset: int) -> date:
    return timezone.localdate() - timedelta(days=day_offset)

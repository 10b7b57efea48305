"""Builders for the referral tests: children, assessments and decisions made through the services."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.referrals import services
from tests.factories import access_for
from tests.factories import child as make_child

ACTIVITY = date(2025, 3, 1)


def assessment_for(actor, child, *, age_at=ACTIVITY, partner_ages=(19,), criteria=None, **facts):
    age = services.assessment_child_age(date_of_birth=child.date_of_birth, activity_date=age_at, today=age_at,
                                        stated_age=None)
    return services.assessment_record(
        access=access_for(actor, child),
        answers=services.AssessmentAnswers(child_age=age, partner_ages=list(partner_ages), criteria=criteria or {},
                                           activity_date=age_at, **facts),
    )


def not_referring(actor, child, assessment, reasons="Both 15 and 16, a consensual relationship of a year"):
    return services.decision_draft(
        access=access_for(actor, child), subject=assessment,
        data=services.DecisionData(kind="not_refer", destination="csc", decision="Not to refer to children's social care",
                                   reasons=reasons),
    )


@pytest.fixture
def health_child(personas):
    """Fourteen at the activity (born 1 June 2010), known to the sexual health service."""
    return make_child(first_name="Kayleigh", last_name="Dunn", dob=date(2010, 6, 1), involved=[personas.health],
                      lead=personas.health)


@pytest.fixture
def school_child(personas):
    """Fifteen at the activity (born 1 January 2010), known to the school."""
    return make_child(first_name="Amir", last_name="Haddad", dob=date(2010, 1, 1), involved=[personas.school],
                      lead=personas.school)


@pytest.fixture
def young_child(personas):
    """Twelve at the activity, known to the school."""
    return make_child(first_name="Lily", last_name="Grant", dob=date(2012, 6, 1), involved=[personas.school],
                      lead=personas.school)

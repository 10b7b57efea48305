"""When meetings are due (§10, §13; docs/decisions/0015). Settings with defaults:

- a strategy discussion after a referral to children's social care that was accepted: by the end of
  ``SAFEGUARD_STRATEGY_RED_WORKING_DAYS`` (1) working days after the referral was sent for a red
  referral, ``SAFEGUARD_STRATEGY_OTHER_WORKING_DAYS`` (3) otherwise;
- an initial child protection conference within ``SAFEGUARD_CONFERENCE_WORKING_DAYS`` (15) working
  days of the strategy discussion that called for it;
- a panel review every ``SAFEGUARD_PANEL_REVIEW_DAYS`` (30) days for each case open at the panel.

Working days skip weekends and bank holidays in England and Wales (the referrals app's helper).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from safeguard.referrals.timescales import working_days_deadline


def strategy_due_at(referral_sent_at: datetime, priority: str) -> datetime:
    days = (
        settings.SAFEGUARD_STRATEGY_RED_WORKING_DAYS
        if priority == "red"
        else settings.SAFEGUARD_STRATEGY_OTHER_WORKING_DAYS
    )
    return working_days_deadline(referral_sent_at, days)


def conference_due_at(strategy_at: datetime) -> datetime:
    return working_days_deadline(strategy_at, settings.SAFEGUARD_CONFERENCE_WORKING_DAYS)


def panel_review_due_at(reviewed_at: datetime) -> datetime:
    return reviewed_at + timedelta(days=settings.SAFEGUARD_PANEL_REVIEW_DAYS)

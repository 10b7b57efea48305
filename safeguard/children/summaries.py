"""What each thing on a child's chronology says: one table of summary templates, by key.

A service calls ``summary("missing.returned", hours=..., ...)`` and passes the text to
``record_on_file``. Templates use ``str.format`` fields; a missing field is a programming error
(KeyError), caught by the tests. Keep each app's keys in its own section, in the handbook's order.
"""

from __future__ import annotations

SUMMARIES: dict[str, str] = {
    # -- children ---------------------------------------------------------------------------
    "children.observation": "{indicators}",  # the signs and indicators seen (§5, §6)
    "children.note": "{text}",
    "children.merged": "Record {merged} was found to be this child and merged into this record",
    #
    # -- screening --------------------------------------------------------------------------
    "screening.submitted": "Form A: {band} — {reasons}",  # §16
    "screening.form_b_opened": "Form B (full CSE assessment) opened in draft",
    "screening.form_b_completed": "Form B completed: risk level {risk_level}",
    #
    # -- referrals --------------------------------------------------------------------------
    "referrals.assessment": "Sexual activity assessment (age {age}): {musts}",
    "referrals.referral": "Referral to {destination}: {reason}",
    "referrals.outcome": "Outcome of referral {number}: {outcome}",
    "referrals.decision_signed": "Decision {kind}{destination}: {decision}",
    #
    #
    # -- missing ----------------------------------------------------------------------------
    "missing.reported": "Reported {classification} from {missing_from}{where}",
    "missing.reclassified": "Reclassified from {from_value} to {to_value}: {reason}",
    "missing.returned": "Returned after {hours:.0f} hour{plural}{found}. Return interview {requirement}, due by {due}",
    "missing.interview_completed": "Return interview completed by {name} ({agency})",
    "missing.interview_declined": "Return interview declined by the child{reason}",
    "missing.interview_not_conducted": "Return interview not conducted: {reason}",
    "missing.sent_to_police": "{kind} sent to {recipient}",
    "missing.visitor": "{who} {how} asking for the child{vehicle}{turned_away}",
    #
    #
    # -- intelligence -----------------------------------------------------------------------
    "intelligence.placeholder": "{text}",
    #
    #
    # -- meetings ---------------------------------------------------------------------------
    "meetings.convened": "{kind} arranged for {when}",  # §10, §13, §14
    "meetings.cancelled": "{kind} on {when} cancelled: {reason}",
    "meetings.report": "Report from {agency} for the {kind} on {when}",
    "meetings.held": "{kind} held on {when}: minutes recorded",
    "meetings.decision": "{kind} decision signed: {decision}",
    "meetings.action": "Action for {owner} ({agency}) by {due}: {description}",
    "meetings.action_closed": "Action {status}: {description}{outcome}",
    "meetings.panel_opened": "Opened at the Multi-Agency Risk Panel",
    "meetings.panel_closed": "Closed at the Multi-Agency Risk Panel: {decision}",
    #
    #
}


def summary(key: str, **values: object) -> str:
    """The chronology summary for ``key`` filled with ``values``."""
    return SUMMARIES[key].format(**values)

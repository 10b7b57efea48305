"""What each thing on a child's chronology says: one table of summary templates, by key.

A service calls ``summary("missing.returned", hours=..., ...)`` and passes the text to
``record_on_file``. Templates use ``str.format`` fields; a missing field is a programming error
(KeyError), caught by the tests. Keep each app's keys in its own section, in the handbook's order.
"""

from __future__ import annotations

SUMMARIES: dict[str, str] = {
    # -- children ---------------------------------------------------------------------------
    # What happened, in the recorder's words; the §5/§6 indicator codes go on the item as tags.
    "children.observation": "{how}{details}",
    "children.note": "{text}",
    "children.merged": "A second record of this child ({name}) was merged into this one",
    #
    # -- screening --------------------------------------------------------------------------
    "screening.submitted": "Form A: {band} — {reasons}",  # §16
    "screening.form_b_opened": "Form B (full CSE assessment) opened in draft",
    "screening.form_b_completed": "Form B completed: risk level {risk_level}",
    #
    # -- referrals --------------------------------------------------------------------------
    "referrals.assessment": "Sexual activity assessment (age {age}): {musts}",
    "referrals.referral": "Referral to {destination}: {reason}",
    "referrals.outcome": "Outcome of the referral to {where}: {outcome}",
    "referrals.decision_signed": "Decision {kind}{destination}: {decision}",
    #
    #
    # -- missing ----------------------------------------------------------------------------
    "missing.reported": "Reported {classification} from {missing_from}{where}",
    "missing.reclassified": "Reclassified from {from_value} to {to_value}: {reason}",
    "missing.returned": "Returned after {hours:.0f} hour{plural}{found}. Return interview {requirement}, due by {due}",
    # {found} is ": " and where they were found or had been, as a clause (see ``clause``).
    "missing.interview_completed": "Return interview completed by {name} ({agency})",
    "missing.interview_declined": "Return interview declined by the child{reason}",
    "missing.interview_not_conducted": "Return interview not conducted: {reason}",
    "missing.sent_to_police": "{kind} sent to {recipient}",
    "missing.visitor": "{who} {how} asking for the child{vehicle}{turned_away}",
    #
    #
    # -- intelligence -----------------------------------------------------------------------
    "intelligence.link": "{kind} {entity} ({grading}){conditional}",  # §7, §10
    "intelligence.movement": "Moved {from_place}to {to_place}{with_person}{vehicle}",  # §7 trafficking
    "intelligence.nrm_referred": "National Referral Mechanism referral by {agency}",  # §7
    "intelligence.nrm_decision": "National Referral Mechanism {stage} grounds decision: {decision}",
    #
    #
    # -- meetings ---------------------------------------------------------------------------
    "meetings.placeholder": "{text}",
    #
    #
}


# How the recorder of an observation knows what happened (children.Source), as a sentence opening.
OBSERVATION_HOW = {"seen": "", "told_by_child": "The child said: ", "told_by_other": "{who} said: "}

# First words of a free-text answer that start a clause, not a name: lower-cased after a colon, so
# "Came back to Hillside on her own" reads "Returned after 5 hours: came back to Hillside on her own".
_CLAUSE_WORDS = frozenset(
    "a an at back brought by came collected dropped found from he her his in located met near on picked "
    "returned she seen taken the their they turned walked was went were with".split()
)


def clause(text: str) -> str:
    """A free-text answer to follow a colon: its first letter lower-cased when it starts a clause."""
    text = " ".join((text or "").split()).rstrip(".")
    first = text.split(" ", 1)[0]
    if first.lower() in _CLAUSE_WORDS and first[:1].isupper() and first[1:].islower():
        return text[:1].lower() + text[1:]
    return text


def observation_how(source: str, detail: str = "") -> str:
    """The opening of an observation's chronology sentence: nothing when the recorder saw it."""
    return OBSERVATION_HOW.get(source, "").format(who=detail.strip() or "Someone else")


def summary(key: str, **values: object) -> str:
    """The chronology summary for ``key`` filled with ``values``."""
    return SUMMARIES[key].format(**values)

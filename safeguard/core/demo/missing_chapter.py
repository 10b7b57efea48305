"""Chapter 4: missing episodes, return interviews, the profile for the police, and two children
missing together (handbook §6, §10.5, §14, §14.1).

Everything goes through ``safeguard.missing.services``, as the people at Hillside Children's Home,
the Family Contact Point and the police CSE team would do it, so every step has its audit record,
chronology entry, task and alert.

* Kayleigh Ward, 14, at Hillside: three episodes in the last 90 days, so she is flagged on the Risk
  Management Group review list (§14).
  - Seven weeks ago: missing overnight; the return interview was done by Maya Brooks of the Family
    Contact Point (independent of the home), sent to the police and marked received.
  - Four weeks ago: reported absent, reclassified missing on review; she came back at 02:30 in a
    black saloon and declined the interview, so the police were told why none took place.
  - Five days ago: missing with Jade Morris (below). Erin Doyle of Early Help was asked to do the
    interview but it has not happened: it is the demo's one overdue interview, with its alert.
  - Her profile for the police (description, phones, associates, places, vehicles) was sent to the
    police inbox when she was reported missing five days ago; callers and visitors asking for her at
    the home are recorded (§10.5.11).
* Jade Morris, 15, also at Hillside: missing with Kayleigh, the same black Audi and the same flat on
  Station Road, so the two episodes are linked and the named leads alerted (§10.5.4). Jade came back
  50 hours ago; her interview is due within the day (a "due soon" reminder).
* Two of Northbridge Academy's pupils, so the school's staff see episodes too:
  - Chloe Barnes, 13, did not come home from school two days ago and was found the next morning by
    the police in Westford, with the man she knows as "Ryan". The school's designated lead recorded
    it; her return interview is arranged with Maya Brooks of the Family Contact Point (independent of
    the school) and not done yet. Days before, a man rang the school office asking for her (a caller,
    §10.5.11).
  - Megan Hart, 13, is missing now: she went out saying she was going to a friend's and has not come
    back; her mum told the police.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.access.policy import ChildAccess, child_for_user
from safeguard.missing.models import Classification, MissingFrom, ReturnInterview, Visitor
from safeguard.missing.services import (
    EpisodeReport,
    InterviewOutcome,
    ProfileData,
    ReturnDetails,
    VisitorDetails,
    episode_classify,
    episode_report,
    episode_return_record,
    interview_arrange,
    interview_outcome_record,
    interview_send_to_police,
    police_submission_receive,
    profile_update,
    visitor_record,
)
from safeguard.missing.tick import interviews_due_alert

from .stories import _child, ago, born

HILLSIDE = "Hillside Children's Home (residential)"
AUDI = "Black Audi A3, registration KX19 WKA"
STATION_ROAD_FLAT = "12 Station Road (flat 3)"


def _at(days: float, hour: int, minute: int = 15):
    """``days`` ago at ``hour``:``minute`` local time (always in the past)."""
    return ago(days, hour).replace(minute=minute)


def _as(user, child) -> ChildAccess:
    """What the person's page would hold: their access to change the child, from the policy."""
    return child_for_user(user, child.pk, change=True)


def _hours_ago(hours: float):
    return (timezone.localtime() - timedelta(hours=hours)).replace(second=0, microsecond=0)


def kayleigh_profile(region, kayleigh) -> None:
    """The one page Hillside keeps current, ready to go to the police the moment she is missing."""
    profile_update(
        access=_as(region.users["unitmanager"], kayleigh),
        data=ProfileData(
            description="White, 5ft 3in, slim build. Long dyed red hair, often tied up. Pierced nose (left) and a "
                        "small star tattoo on her right wrist. Usually wears a black puffer jacket, grey joggers and "
                        "white trainers.",
            phones="07700 900456 (her own phone)\nSnapchat: kay_x_w",
            associates="Jade Morris, 15, also at Hillside\n'Dee', man in his twenties, drives a black Audi\n"
                        "Three men, about 20-25, seen with her outside the takeaway on Hill Road",
            places="Takeaway, Hill Road\n" + STATION_ROAD_FLAT + "\nLay-by on the ring road\nRiverside shopping centre",
            vehicles=AUDI + "\nBlack saloon, registration ending 4KX",
            other_information="Asthmatic: carries a blue inhaler. Kayleigh's mother lives in Eastmoor; Kayleigh has "
                              "gone there before but is not welcome at the address.",
        ),
    )


def visitors_at_hillside(region, kayleigh) -> None:
    """Callers and visitors asking for Kayleigh at the home (§10.5.11)."""
    rob = region.users["residential"]
    visitor_record(
        access=_as(rob, kayleigh),
        details=VisitorDetails(
            how=Visitor.How.IN_PERSON,
            occurred_at=_at(9, 20, 40),
            name_given="Dee",
            description="Man, about 25, white, short dark hair, grey tracksuit. Asked at the front door for "
                        "\"Kay\" and said he was her cousin. Waited in the car outside for ten minutes.",
            vehicle=AUDI, turned_away=True, told_childs_age=True, passed_to_police=True,
        ),
    )
    visitor_record(
        access=_as(rob, kayleigh),
        details=VisitorDetails(
            how=Visitor.How.PHONE,
            occurred_at=_at(3, 22, 5),
            description="Man's voice, local accent, asked for Kayleigh by name and rang off when asked who he was.",
            phone="07700 900789", turned_away=True, passed_to_police=True,
        ),
    )


def kayleigh_seven_weeks_ago(region, kayleigh) -> None:
    """Missing overnight; an independent interview by the Family Contact Point, sent to the police."""
    rob, maya = region.users["residential"], region.users["mash"]
    episode = episode_report(
        access=_as(rob, kayleigh),
        report=EpisodeReport(
            missing_from=MissingFrom.CARE, last_seen_at=_at(50, 21, 30), placement=HILLSIDE,
            last_seen_where="Front gate of Hillside, walking towards Hill Road",
            circumstances="Left after a phone call she would not talk about. Wearing her black puffer jacket.",
            reported_to_police=True, police_reported_at=_at(50, 23, 0), police_reference="MP/2026/0412",
        ),
    )
    interview = episode_return_record(
        access=_as(rob, episode.child), episode=episode,
        details=ReturnDetails(
            returned_at=_at(49, 9, 40), found_where="Found by police at " + STATION_ROAD_FLAT,
            who_with="Two men in their twenties", addresses=STATION_ROAD_FLAT, names_mentioned="Dee",
            appearance="Tired and hungry, smelt of alcohol. Would not say where she had slept.",
            items_retained="Leggings and top, bagged for the police",
        ),
    )
    interview_arrange(
        access=_as(region.users["unitmanager"], interview.child), interview=interview, interviewer=maya
    )
    interview = interview_outcome_record(
        access=_as(maya, interview.child), interview=interview,
        result=InterviewOutcome(
            outcome=ReturnInterview.Status.COMPLETED, conducted_at=_at(48, 16, 0),
            child_account="Kayleigh said she went to \"Dee's mate's flat\" on Station Road with two older men "
                          "she met outside the takeaway. She said \"they're alright, they look after me\" and that "
                          "they gave her vodka and a lift back \"in the morning\".",
            risks_identified="Alcohol given by adults; staying overnight at an address with older men; she sees "
                             "them as friends.",
            actions_agreed="Police CSE team to visit the Station Road address (Pete Marsh). Hillside to keep her "
                           "profile current. Social worker to discuss a safety plan with Kayleigh this week.",
        ),
    )
    submission = interview_send_to_police(access=_as(maya, interview.child), interview=interview)
    police_submission_receive(actor=region.users["police"], submission=submission)


def kayleigh_four_weeks_ago(region, kayleigh) -> None:
    """Reported absent, reclassified missing on review; back at 02:30 in a black saloon; declined."""
    rob, uma = region.users["residential"], region.users["unitmanager"]
    episode = episode_report(
        access=_as(rob, kayleigh),
        report=EpisodeReport(
            missing_from=MissingFrom.CARE, classification=Classification.ABSENT, last_seen_at=_at(27, 21, 15),
            placement=HILLSIDE, last_seen_where="Takeaway, Hill Road",
            circumstances="Not back by her 21:00 curfew; her friends said she was \"round the corner\".",
        ),
    )
    episode_return_record(
        access=_as(rob, episode.child), episode=episode,
        details=ReturnDetails(
            returned_at=_at(26, 2, 30), found_where="Dropped at the gate of Hillside",
            vehicles="Black saloon, registration ending 4KX", risky_contact=True,
            appearance="New jacket and £60 cash; would not say where they came from.",
        ),
    )
    episode_classify(
        access=_as(uma, episode.child), episode=episode, classification=Classification.MISSING,
        reason="On review: she was collected and brought back by an unknown adult in a car and came back with "
               "cash and new clothes. That is risk, so this was a missing episode, not an absence (§14).",
    )
    interview = episode.interview
    interview = interview_outcome_record(
        access=_as(rob, interview.child), interview=interview,
        result=InterviewOutcome(
            outcome=ReturnInterview.Status.DECLINED, conducted_at=_at(25, 16, 30),
            reason="Kayleigh said \"I'm not talking to another social worker about it\". Offered again with "
                   "someone of her choosing; she said no.",
        ),
    )
    interview_send_to_police(access=_as(uma, interview.child), interview=interview)


def missing_together(region, kayleigh, jade) -> None:
    """Kayleigh and Jade go missing together; Kayleigh's interview becomes overdue."""
    rob, uma = region.users["residential"], region.users["unitmanager"]
    together = dict(
        missing_from=MissingFrom.CARE, last_seen_at=_at(5, 19, 10), placement=HILLSIDE,
        last_seen_where="Takeaway, Hill Road",
        reported_to_police=True, police_reported_at=_at(5, 21, 0),
    )
    kayleigh_episode = episode_report(
        access=_as(rob, kayleigh), send_profile=True,
        report=EpisodeReport(**together, police_reference="MP/2026/0733",
                             circumstances="Left with Jade Morris after tea; both got into a black car outside the "
                                           "takeaway. Black puffer jacket, grey joggers."),
    )
    jade_episode = episode_report(
        access=_as(rob, jade),
        report=EpisodeReport(**together, police_reference="MP/2026/0734",
                             circumstances="Left with Kayleigh Ward after tea; both got into a black car outside the "
                                           "takeaway. Pink hoodie, blue jeans."),
    )
    interview = episode_return_record(
        access=_as(rob, kayleigh_episode.child), episode=kayleigh_episode,
        details=ReturnDetails(
            returned_at=_at(4, 6, 20), found_where="Found by police at " + STATION_ROAD_FLAT,
            who_with="Dee and another man, about 30", vehicles=AUDI, addresses=STATION_ROAD_FLAT,
            phones="07700 900789", names_mentioned="Dee\nJade", risky_contact=True,
            appearance="Very tired, bruise on her left forearm she said was from \"messing about\".",
            items_retained="All clothing, bagged for the police",
        ),
    )
    interview_arrange(access=_as(uma, interview.child), interview=interview, interviewer=region.users["earlyhelp"])
    episode_return_record(
        access=_as(rob, jade_episode.child), episode=jade_episode,
        details=ReturnDetails(
            returned_at=_hours_ago(50), found_where="Came back to Hillside on her own",
            who_with="Kayleigh, Dee, and a man she called \"Mo\"", vehicles="Black Audi, KX19WKA",
            addresses=STATION_ROAD_FLAT, names_mentioned="Dee\nMo", risky_contact=True,
            appearance="New phone; said Kayleigh was taken home \"the first night\".",
        ),
    )


def school_pupils_missing(region, cast) -> None:
    """Chloe found in another town, her interview still to do; Megan missing now."""
    dsl = region.users["dsl"]
    chloe, megan = cast.children["chloe"], cast.children["megan"]
    visitor_record(
        access=_as(dsl, chloe),
        details=VisitorDetails(
            how=Visitor.How.PHONE, occurred_at=_at(6, 12, 35), name_given="Ryan",
            description="Man, young-sounding, rang the school office from a withheld number at lunchtime asking "
                        "which bus Chloe takes home. Said he was her cousin; rang off when asked for his surname.",
            turned_away=True, passed_to_police=True,
        ),
    )
    chloe_episode = episode_report(
        access=_as(dsl, chloe),
        report=EpisodeReport(
            missing_from=MissingFrom.HOME, last_seen_at=_at(2, 15, 20),
            last_seen_where="School gates, Mill Lane",
            circumstances="Did not come home after school. Her mum rang the school in the evening and then the "
                          "police. School uniform and a grey coat.",
            reported_to_police=True, police_reported_at=_at(2, 19, 30), police_reference="MP/2026/0761",
        ),
    )
    interview = episode_return_record(
        access=_as(dsl, chloe_episode.child), episode=chloe_episode,
        details=ReturnDetails(
            returned_at=_at(1, 8, 10), found_where="Found by the police at a flat in Westford",
            who_with="A man she called Ryan, in his twenties", names_mentioned="Ryan",
            addresses="Flat above the launderette, Canal Street, Westford", risky_contact=True,
            appearance="Tired and quiet; a new phone she would not hand over.",
        ),
    )
    interview_arrange(access=_as(dsl, interview.child), interview=interview, interviewer=region.users["mash"])
    episode_report(
        access=_as(dsl, megan),
        report=EpisodeReport(
            missing_from=MissingFrom.HOME, last_seen_at=_hours_ago(16),
            last_seen_where="Leaving home, Elm Street",
            circumstances="Said she was going to a friend's and did not come back; her second phone is gone too. "
                          "Her mum rang the police and then the school.",
            reported_to_police=True, police_reported_at=_hours_ago(9), police_reference="MP/2026/0780",
        ),
    )


def build(region, cast) -> None:
    kayleigh = cast.children["kayleigh"]
    jade = _child(
        region, "residential", "Jade", "Morris", address="Hillside Children's Home, 40 Hill Road, Northbridge",
        postcode="NB3 9AA", lead="unitmanager", date_of_birth=born(15, 2), gender="female",
        ethnicity="Black British", languages="English", looked_after=True, placement=HILLSIDE,
        school="Northbridge Academy",
    )
    cast.children["jade"] = jade
    kayleigh_seven_weeks_ago(region, kayleigh)
    kayleigh_four_weeks_ago(region, kayleigh)
    kayleigh_profile(region, kayleigh)
    visitors_at_hillside(region, kayleigh)
    missing_together(region, kayleigh, jade)
    school_pupils_missing(region, cast)
    interviews_due_alert(now=timezone.now())  # what `safeguard tick` would have raised by now

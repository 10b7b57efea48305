"""Chapter 6: meetings, the Multi-Agency Risk Panel and actions (handbook §10, §13).

Everything goes through ``safeguard.meetings.services``, as the people in the demo region would do
it, so every step has its chronology entry, audit record, invitation email and alert.

* Jodie Smyth's strategy discussion, held four days ago after her referral was accepted: the school,
  the police CSE team and the sexual health service were invited and each submitted a written
  report; the minutes, a signed decision and three actions are recorded. Two of the actions are now
  overdue (the teacher's and the nurse's), so their owners and their named leads have alerts.
* Chloe Barnes's referral has been accepted but no strategy discussion is arranged yet: it waits on
  the MASH's meetings page, due by the timescale.
* The Multi-Agency Risk Panel: Kayleigh Ward (referred from her high-risk Form B) and Jade Morris
  (referred by Hillside after they went missing together) are accepted by the panel chair and open
  at the panel. Next week's panel meeting is arranged with the panel member invited; the chair
  builds its VOLT agenda from the data: the two girls, the Carter brothers (the intelligence
  chapter's network), Riverside Shopping Centre (its hot spot), the alerts and the co-missing link.
* Jodie Smyth is open at the panel too: her strategy discussion agreed to refer her, and the chair
  accepted. Chloe Barnes's referral, made by the school's designated lead after she was found in
  Westford, waits for the chair to accept or decline it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.meetings import services
from safeguard.meetings.models import Kind
from safeguard.meetings.tick import actions_overdue
from safeguard.referrals.models import Destination, Referral

from .stories import ago, as_user


def _details(kind: str, start, *, minutes: int = 60, place: str = "", call: str = "") -> services.MeetingDetails:
    return services.MeetingDetails(kind=kind, starts_at=start, ends_at=start + timedelta(minutes=minutes),
                                   place=place, call_details=call)


def jodie_strategy_discussion(region, cast) -> None:
    u = region.users
    jodie = cast.children["jodie"]
    referral = Referral.objects.filter(child=jodie, destination=Destination.CSC).order_by("pk").first()
    meeting = services.meeting_convene(
        actor=u["mash"], accesses=[as_user(region, "mash", jodie)], referral=referral,
        details=_details(Kind.STRATEGY, ago(4, 10), place="Family Contact Point, meeting room 2",
                         call="Conference line 0300 123 4567, PIN 4412"),
    )
    services.meeting_invite(actor=u["mash"], meeting=meeting, people=[u["teacher"], u["police"], u["nurse"]])
    reports = {
        "teacher": "Jodie's attendance has dropped to 82% this half term; she has missed period 5 three times in a "
                   "fortnight. She has a new phone and trainers and was seen getting into a silver car at the Mill "
                   "Lane gate with a man in his late twenties she calls 'Dee'.",
        "police": "The silver hatchback (partial registration NB62) is linked to an address on Station Road already "
                  "known to the CSE team. No reports of Jodie missing to date.",
        "nurse": "Jodie has not been seen at the sexual health service. Her older cousin attends the drop-in clinic; "
                 "no information to share about Jodie herself.",
    }
    for username, text in reports.items():
        report = meeting.reports.get(agency=u[username].agency)
        services.report_save(actor=u[username], report=report, text=text, version=report.version, submit=True,
                             accesses=[as_user(region, username, jodie)])
    meeting.refresh_from_db()
    meeting = services.minutes_record(
        actor=u["mash"], meeting=meeting, accesses=[as_user(region, "mash", jodie)], version=meeting.version,
        minutes="Present: Maya Brooks (Family Contact Point, chair), Tara Okafor (Northbridge Academy), Pete Marsh "
                "(police CSE team). Report received from the sexual health service.\n\nThe school and the police "
                "shared what they know about 'Dee' and the silver hatchback. Jodie's mum says she stays at a "
                "friend's on Saturdays. Agreed: section 47 enquiries; the police to check the vehicle and address; "
                "the school to keep a daily check on Jodie's whereabouts and report any car at the gate.",
    )
    services.decision_sign(
        actor=u["mash"], meeting=meeting, accesses=[as_user(region, "mash", jodie)], child=jodie,
        decision="Start section 47 enquiries and allocate a social worker.",
        reasons="Reasonable cause to suspect Jodie is likely to suffer significant harm: gifts, an older man "
                "collecting her from school and links to an address known to the police.",
        makers=[u["mash"], u["police"]],
    )
    day = timezone.localtime(meeting.starts_at).date()
    for username, text, days in (
        ("teacher", "Daily check on Jodie's whereabouts at registration and period 5; report any car at the gate.", 2),
        ("nurse", "Offer Jodie an appointment at the young people's clinic through the school nurse.", 3),
        ("police", "Check the silver hatchback and the Station Road address; share the outcome with the MASH.", 10),
    ):
        services.action_create(
            actor=u["mash"], meeting=meeting, access=as_user(region, "mash", jodie),
            details=services.ActionDetails(text, u[username], day + timedelta(days=days)),
        )


def risk_panel(region, cast) -> None:
    u = region.users
    kayleigh, jade = cast.children["kayleigh"], cast.children["jade"]
    referral = Referral.objects.get(child=kayleigh, destination=Destination.MARP)  # from her high-risk Form B
    services.panel_case_open(access=as_user(region, "panelchair", kayleigh), referral=referral,
                             note="High risk on Form B; three overnight episodes.")
    jade_referral = services.panel_refer(
        access=as_user(region, "unitmanager", jade), because="Missing with Kayleigh Ward",
        reason="Jade went missing with Kayleigh Ward in the same black Audi to the same flat on Station Road. "
               "The police link the car to adults who target girls from the home.",
    )
    services.panel_case_open(access=as_user(region, "panelchair", jade), referral=jade_referral)
    jodie, chloe = cast.children["jodie"], cast.children["chloe"]
    jodie_referral = services.panel_refer(
        access=as_user(region, "mash", jodie), because="Strategy discussion",
        reason="Agreed at Jodie's strategy discussion: an older man collects her from school in a silver car, and the "
               "police link him to the Station Road address known to the CSE team.",
    )
    services.panel_case_open(access=as_user(region, "panelchair", jodie), referral=jodie_referral,
                             note="Accepted: the address is linked to other children's missing episodes.")
    services.panel_refer(
        access=as_user(region, "dsl", chloe), because="Found in another town",
        reason="Chloe, 13, went missing from home and was found by the police at a flat in Westford with a man in "
               "his twenties she calls Ryan. The police have made a National Referral Mechanism referral.",
    )
    start = (timezone.localtime() + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
    meeting = services.meeting_convene(
        actor=u["panelchair"], details=_details(Kind.PANEL, start, minutes=120, place="Civic Centre, committee room 1"),
    )
    services.meeting_invite(actor=u["panelchair"], meeting=meeting, people=[u["panelmember"], u["police"]])


def build(region, cast) -> None:
    jodie_strategy_discussion(region, cast)
    risk_panel(region, cast)
    actions_overdue(now=timezone.now())

"""The demo children. Their stories follow the handbook's case studies (§4) and signs (§5, §6), with
invented names, places and people. Everything is written through the apps' own services, as the
people in the demo region would write it, so the audit trail and the chronology are real.

Who sees whom (try it): the school's staff see Jodie, Chloe and Megan; Hillside's staff see
Kayleigh; the youth offending team sees Alex; the health service sees Sam; children's social care
and the police CSE team see everyone; the youth worker at Harbour Youth Project sees no one, and a
search for "Jody Smith" shows them only that a possible match exists in another agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from safeguard.access.policy import ChildAccess, child_for_user
from safeguard.children.models import Child, Involvement, Source
from safeguard.children.services import (
    ChildData,
    NewAddress,
    WhatHappened,
    child_create,
    chronology_entry_record,
    involvement_ensure,
    observation_record,
)


def ago(days: float, hour: int | None = None) -> datetime:
    """A moment ``days`` before now (at ``hour`` o'clock local time, if given)."""
    moment = timezone.localtime() - timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=15, second=0, microsecond=0)
        if moment > timezone.localtime():
            moment -= timedelta(days=1)
    return moment


def born(years: int, months: int = 0) -> date:
    """A date of birth that makes the child ``years`` old (and ``months`` more) today."""
    today = timezone.localdate()
    month = today.month - months
    year = today.year - years
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, min(today.day, 28))


@dataclass
class Cast:
    """The demo's children by a short key, for the later chapters (screenings, referrals, episodes)."""

    children: dict[str, Child] = field(default_factory=dict)


def as_user(region, username: str, child: Child) -> ChildAccess:
    """The demo acts as a person: that user's own access to the child, as a page would get it."""
    return child_for_user(region.users[username], child.pk, change=True)


def _observe(region, username: str, child: Child, codes: list[str], days: float, details: str, *,
             source: str = Source.SEEN, people: str = "", places: str = "", vehicles: str = "", hour: int = 15):
    return observation_record(
        access=as_user(region, username, child), indicators=codes,
        happened=WhatHappened(occurred_at=ago(days, hour), source=source), details=details,
        people=people, places=places, vehicles=vehicles,
    )


def _note(region, username: str, child: Child, days: float, text: str, *, source: str = Source.SEEN, hour: int = 11):
    return chronology_entry_record(
        access=as_user(region, username, child),
        happened=WhatHappened(occurred_at=ago(days, hour), source=source), text=text,
    )


def _child(region, username: str, first: str, last: str, *, aliases=(), address: str = "", postcode: str = "",
           lead: str | None = None, **values) -> Child:
    values.setdefault("local_authority", "Northbridge City Council")
    if lead:
        values["lead_professional"] = region.users[lead]
    return child_create(
        actor=region.users[username],
        data=ChildData(first_name=first, last_name=last, values=values, aliases=tuple(aliases),
                       address=NewAddress(line=address, postcode=postcode) if address else None),
    )


def children_and_observations(region) -> Cast:
    """Chapter 1: the records, what professionals saw, and their notes."""
    cast = Cast()
    a = region.agencies

    # Case study 4: a 13-year-old approached by two older brothers at the shopping centre.
    jodie = _child(
        region, "teacher", "Jodie", "Smyth", aliases=[("JJ", "Smith")], address="14 Canal Row, Northbridge",
        postcode="nb4 2qt", lead="schoollead", date_of_birth=born(13, 4), gender="female", ethnicity="White British",
        languages="English", school="Northbridge Academy", unique_pupil_number="A123456789012",
    )
    _observe(region, "teacher", jodie, ["I5", "I8"], 41,
             "Jodie has a new phone and designer trainers. She said a friend's brother bought them.",
             places="Riverside shopping centre")
    _observe(region, "teacher", jodie, ["I12", "I13"], 19,
             "Seen getting into a silver car outside the school gates at 15:20. The driver looked in his late "
             "twenties. Jodie said: \"he's my boyfriend, he's 19\".",
             vehicles="Silver hatchback, partial registration NB62", people="Man in his late twenties, called 'Dee'",
             places="Northbridge Academy, Mill Lane gate")
    _note(region, "teacher", jodie, 12, "Jodie missed period 5 three times this fortnight. Mum says she is "
                                        "staying at a friend's on Saturdays.")
    cast.children["jodie"] = jodie

    # Case study 2: a 16-year-old boy with the youth offending team and a much older woman.
    alex = _child(
        region, "yot", "Alex", "Turner", address="3 Foundry Court, Northbridge", postcode="NB7 1LD",
        date_of_birth=born(16, 2), gender="male", ethnicity="White British", languages="English",
        school="Eastmoor College",
    )
    _observe(region, "yot", alex, ["I13", "I22", "U6"], 30,
             "Alex talks about 'Kerry', a woman he says is 34, who gives him cannabis and lets him stay over.",
             source=Source.TOLD_BY_CHILD, people="Kerry, about 34", places="Flat above the bookmaker, Station Road")
    _note(region, "yot", alex, 9, "Alex arrested for possession with intent to supply. Says he was holding it "
                                  "for Kerry.", source=Source.TOLD_BY_OTHER)
    cast.children["alex"] = alex

    # Case study 1: two 13-year-old girls groomed online by two men in their twenties.
    chloe = _child(
        region, "teacher", "Chloe", "Barnes", address="22 Elm Street, Northbridge", postcode="NB2 5HP",
        date_of_birth=born(13, 7), gender="female", ethnicity="White British", languages="English",
        school="Northbridge Academy", lead="schoollead",
    )
    megan = _child(
        region, "teacher", "Megan", "Hart", address="9 Elm Street, Northbridge", postcode="NB2 5HP",
        date_of_birth=born(13, 1), gender="female", ethnicity="Mixed White and Black Caribbean",
        languages="English", school="Northbridge Academy",
    )
    _observe(region, "teacher", chloe, ["L3", "I13", "I6"], 16,
             "Chloe showed a friend messages from 'Ryan, 22' arranging to meet at the chicken shop after school.",
             source=Source.TOLD_BY_OTHER, people="'Ryan', says he is 22; his friend 'Jay', 23",
             places="Chicken shop, High Street")
    _observe(region, "teacher", megan, ["L2", "I6"], 16,
             "Megan gave her number to a man who messaged her and Chloe; she now has a second phone.",
             source=Source.TOLD_BY_CHILD, people="'Jay', 23")
    involvement_ensure(child=megan, agency=a["early_help"], reason=Involvement.Reason.ADDED,
                       actor=region.users["teacher"])
    _note(region, "earlyhelp", megan, 6, "Home visit. Mum worried about the new phone and late nights; agreed "
                                         "to weekly sessions.")
    cast.children["chloe"] = chloe
    cast.children["megan"] = megan

    # A 14-year-old in residential care who goes missing and is collected by cars (§6, §10.5).
    kayleigh = _child(
        region, "residential", "Kayleigh", "Ward", aliases=[("Kayley", "Ward")],
        address="Hillside Children's Home, 40 Hill Road, Northbridge", postcode="NB3 9AA", lead="unitmanager",
        date_of_birth=born(14, 5), gender="female", ethnicity="White British", languages="English",
        looked_after=True, placement="Hillside Children's Home (residential)", school="Northbridge Academy",
    )
    _observe(region, "residential", kayleigh, ["U1", "I12", "I5"], 26,
             "Returned at 02:30 in a black car. New jacket and £60 cash; would not say where from.",
             vehicles="Black saloon, registration ending 4KX", places="Lay-by on the ring road", hour=2)
    _observe(region, "residential", kayleigh, ["I16", "I22"], 8,
             "Staff saw Kayleigh with a group of older males outside the takeaway on Hill Road.",
             people="Three men, about 20-25", places="Takeaway, Hill Road", hour=21)
    cast.children["kayleigh"] = kayleigh

    # Case study 3: a 13-year-old moved around by older men, known to the police.
    ruby = _child(
        region, "police", "Ruby", "Clarke", address="No fixed address (staying with an aunt), Eastmoor",
        date_of_birth=born(13, 9), gender="female", ethnicity="White Other", languages="English, Polish",
        local_authority="Eastmoor County Council", police_reference="EP/2026/118842",
    )
    _observe(region, "police", ruby, ["I11", "I14", "I9"], 14,
             "Found at a hotel in another city with a man known to the CSE team; could not say how she got there.",
             people="Man known to the CSE team (intelligence ref EP-INT-5521)", places="Budget hotel, Westford",
             hour=23)
    cast.children["ruby"] = ruby

    # A 15-year-old seen at the sexual health clinic: a screening with nothing ticked.
    sam = _child(
        region, "nurse", "Sam", "Fletcher", address="71 Orchard Way, Northbridge", postcode="NB5 3RT",
        date_of_birth=born(15, 3), gender="male", ethnicity="Asian British", languages="English, Urdu",
    )
    _note(region, "nurse", sam, 5, "Routine appointment. No concerns raised; advice given.")
    cast.children["sam"] = sam

    return cast


def _screen(region, username: str, child: Child, ticked: list[str], evidence: dict | None = None, *,
            not_referring: str = "", previous: str = "no"):
    from safeguard.screening.forms import FormAForm
    from safeguard.screening.services import FormAAnswers, FormAHeader, screening_submit

    user = region.users[username]
    initial = FormAForm.initial_for(child=child, user=user)
    header = FormAHeader(
        referrer_name=initial["referrer_name"], organisation=initial["organisation"],
        contact_details=initial["contact_details"] or f"{username}@example.org", child_name=child.full_name,
        previous_cp_referral=previous, child_age=initial["child_age"], local_authority=child.local_authority,
        ethnicity=child.ethnicity, gender=initial["gender"], languages=child.languages,
        disabilities=child.disabilities,
    )
    return screening_submit(access=as_user(region, username, child), header=header,
                            answers=FormAAnswers(ticked=ticked, evidence=evidence or {},
                                                 not_referring_reason=not_referring))


def screenings(region, cast: Cast) -> None:
    """Chapter 2: a screening in every band, by the professional who knows the child."""
    c = cast.children
    # Concern: three risk indicators. A referral goes to the Family Contact Point with Form B opened.
    _screen(region, "teacher", c["jodie"], ["R3", "R5", "R9", "V6"], {
        "R3": "Missed period 5 three times this fortnight",
        "R9": "New phone she will not let anyone see; messages from 'Dee' all day",
    })
    # Emerging: one risk indicator, with vulnerabilities; a named-lead discussion and a review date.
    _screen(region, "yot", c["alex"], ["V2", "V3", "R6"], {"R6": "Cannabis supplied by an adult woman"})
    # Significant: an older 'boyfriend' met online.
    _screen(region, "dsl", c["chloe"], ["S2", "R9"], {"S2": "'Ryan', 22, arranging to meet after school"})
    # Emerging, and below the Form B threshold.
    _screen(region, "teacher", c["megan"], ["R9"], {"R9": "Second phone; messages from a man she met online"})
    # Significant: missing overnight and collected by cars; a first screening superseded by a second.
    _screen(region, "residential", c["kayleigh"], ["V1", "R5"], previous="yes")
    _screen(region, "unitmanager", c["kayleigh"], ["V1", "V4", "R5", "R8", "S1", "S3"], {
        "S1": "Missing overnight three times this month",
        "S3": "Returned in a black saloon driven by an unknown man",
    }, previous="yes")
    # Significant, screened by the police CSE team.
    _screen(region, "police", c["ruby"], ["S1", "S4", "R10"], {"S1": "Found in a hotel in another city"})
    # None: nothing ticked after a routine appointment.
    _screen(region, "nurse", c["sam"], [])


def form_b(region, cast: Cast) -> None:
    """Chapter 3: children's social care completes Kayleigh's Form B with partners; the risk is high,
    so she is referred to the Multi-Agency Risk Panel, and the safety plan has its first action."""
    from safeguard.screening.models import FormB
    from safeguard.screening.services import (
        FormBData,
        SignFinding,
        form_b_contribute,
        form_b_refer_to_panel,
        form_b_update,
        safety_action_add,
    )

    kayleigh = cast.children["kayleigh"]
    draft = FormB.objects.get(child=kayleigh, screening__superseded_by__isnull=True)
    form_b_contribute(access=as_user(region, "police", kayleigh), form_b=draft, text=(
        "The black saloon ending 4KX is linked to an address on Station Road already known to the CSE team."
    ))
    form_b_contribute(access=as_user(region, "unitmanager", kayleigh), form_b=draft, text=(
        "Three overnight episodes this term; she returns with cash and new clothes and will not say from whom."
    ))
    form_b_update(access=as_user(region, "csclead", kayleigh), form_b=draft, complete=True, data=FormBData(
        indicators=["I5", "I12", "I16", "I22", "U1", "U10", "L4", "L8"],
        exploitation_models=["organised"],
        signs={
            "I5": SignFinding("observed", "New jacket and £60 cash on return", timezone.localdate() - timedelta(days=26)),
            "I12": SignFinding("observed", "Returned in a black saloon driven by an unknown man"),
            "I16": SignFinding("observed", "Seen with older males outside the takeaway on Hill Road"),
            "I22": SignFinding("observed", "Smelt of alcohol on return twice"),
            "I13": SignFinding("not_known"),
        },
        trafficking_concerns="Taken by car to a flat on Station Road; possibly to Westford once.",
        childs_account='Kayleigh said: "they\'re my mates, they look after me."',
        analysis=("Repeated overnight episodes, collection by unknown adults in cars, gifts and money, "
                  "and links to an address known to the police point to organised exploitation."),
        risk_level="high",
    ))
    form_b_refer_to_panel(access=as_user(region, "csclead", kayleigh), form_b=draft)
    safety_action_add(
        access=as_user(region, "csclead", kayleigh), form_b=draft,
        description="Agree a plan with the home for late returns: staff to call the police at once if a car collects her.",
        owner_name="Uma Reid", owner_agency=region.agencies["residential"],
        due_on=timezone.localdate() + timedelta(days=7),
    )


def build_stories(region) -> int:
    cast = children_and_observations(region)
    screenings(region, cast)
    form_b(region, cast)
    from .referrals_chapter import build as referrals; referrals(region, cast)  # noqa: E702, I001
    from .missing_chapter import build as missing; missing(region, cast)  # noqa: E702, I001
    from .intelligence_chapter import build as intelligence; intelligence(region, cast)  # noqa: E702, I001
    return len(cast.children)

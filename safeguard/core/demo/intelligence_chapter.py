"""Chapter 5: people, vehicles, phones and places linked to the children, and the patterns they show
(handbook §7, §10, §11.2, §13, §15; intelligence.md).

Everything goes through ``safeguard.intelligence.services`` as the people in the demo region would
do it, so each link is on the child's chronology and each alert went to the people it names.

* Case study 3, two brothers: Ryan and Jay Carter, in their twenties. Ryan's phone (07700 900321)
  called Chloe and Megan; Jay drives the black Audi KX19 WKA that collected Kayleigh and Jade from
  Hillside. The brothers are linked to each other, so the four girls are one network, listed for the
  risk panel, with "shared entity" alerts for the phone and the car. The police served a child
  abduction warning notice on Jay.
* Case study 5, a hotel in another city: Ruby was moved from a house in Eastmoor to the Budget Hotel
  in Westford by a man known to the CSE team (a movement, §7). The police made a National Referral
  Mechanism referral (reasonable grounds: positive) and a licensing visit to the hotel.
* Chloe, found by the police at a flat in Westford with "Ryan" (the missing chapter): the police
  made a National Referral Mechanism referral the same day; the reasonable grounds decision is awaited.
* A hot spot: Riverside shopping centre, where Jodie, Kayleigh and Megan were each seen with older
  men within the last three months, raising the hot spot alert.

The silver car AB12 CDE is deliberately absent: the browser journey records it for Jodie and then
for Kayleigh, and sees the alert it raises.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.intelligence import services

from .stories import as_user


def _day(days: int):
    return timezone.localdate() - timedelta(days=days)


def _entity(user, **fields):
    return services.entity_save(actor=user, data=services.EntityData(**fields), confirm_new_person=True).entity


def _link(region, username, child, entity, kind, days, *, grading=("2", "B", "P", ""), notes=""):
    return services.link_child(
        access=as_user(region, username, child), entity=entity,
        details=services.LinkDetails(kind=kind, occurred_on=_day(days), grading=services.Grading(*grading), notes=notes),
    )


def brothers(region, cast) -> None:
    """Case study 3: two brothers, one phone and one car around four girls."""
    police = region.users["police"]
    ryan = _entity(police, kind="person", name="Ryan Carter", aliases=["Ryan"], approx_age=24,
                   description="White, about 5ft 10in, short fair hair. Tells girls he is 19.", area="Northbridge")
    jay = _entity(police, kind="person", name="Jay Carter", aliases=["Jay", "JC"], approx_age=27,
                  description="Ryan's older brother. Drives a black Audi.", area="Northbridge")
    phone = _entity(police, kind="phone", number="07700 900321")
    audi = _entity(police, kind="vehicle", registration="KX19 WKA", make="Audi", vehicle_model="A3", colour="black")
    snap = _entity(police, kind="social", platform="snapchat", handle="@ry_c_22")
    for other, kind, grading in ((jay, "associate", ("1", "A", "C", "Police and children's social care only")),
                                 (phone, "uses", ("2", "B", "P", "")), (snap, "uses", ("2", "C", "P", ""))):
        services.link_entities(actor=police, entity=ryan, other=other, details=services.LinkDetails(
            kind=kind, occurred_on=_day(30), grading=services.Grading(*grading)))
    services.link_entities(actor=police, entity=jay, other=audi, details=services.LinkDetails(
        kind="uses", occurred_on=_day(30), grading=services.Grading("1", "A", "P", "")))
    c = cast.children
    _link(region, "teacher", c["chloe"], phone, "called_by", 16, notes="Messages from 'Ryan, 22' about meeting.")
    _link(region, "teacher", c["megan"], phone, "called_by", 15, notes="The same number messaged Megan.")
    _link(region, "teacher", c["chloe"], snap, "called_by", 16)
    _link(region, "residential", c["kayleigh"], audi, "picked_up_by", 26, notes="Returned at 02:30 in the Audi.")
    _link(region, "residential", c["jade"], audi, "picked_up_by", 5, grading=("1", "A", "P", ""))
    _link(region, "residential", c["kayleigh"], jay, "seen_with", 9, grading=("2", "B", "P", ""))
    services.disruption_record(actor=police, entity=jay, details=services.DisruptionDetails(
        "cawn_served", _day(3), "Child abduction warning notice served at his address in respect of a girl "
        "in care; he signed it.", _day(-90)))


def hotel_in_another_city(region, cast) -> None:
    """Case study 5: moved to a hotel in another city; a National Referral Mechanism referral."""
    police = region.users["police"]
    ruby = cast.children["ruby"]
    house = _entity(police, kind="place", name="House on Mill Street", address="7 Mill Street, Eastmoor",
                    postcode="EM1 2AB", place_type="address", area="Eastmoor")
    hotel = _entity(police, kind="place", name="Budget Hotel Westford", address="Station Approach, Westford",
                    postcode="WF1 1AA", place_type="hotel", area="Westford", of_concern=True)
    man = _entity(police, kind="person", name="Unknown man EP-INT-5521", approx_age=40,
                  description="Known to the CSE team under intelligence reference EP-INT-5521.")
    services.movement_record(access=as_user(region, "police", ruby), details=services.MovementDetails(
        to_place=hotel, from_place=house, with_person=man, occurred_on=_day(14),
        grading=services.Grading("1", "A", "P", ""), notes="Found at the hotel at 23:00 with the man."))
    referral = services.nrm_refer(access=as_user(region, "police", ruby), details=services.NrmDetails(
        _day(13), "Moved from Eastmoor to a hotel in Westford for sexual exploitation (§7).", "NRM-2026-0417"))
    services.nrm_decision_record(access=as_user(region, "police", ruby), referral=referral, version=referral.version,
                                 stage="reasonable", decision="positive", decided_on=_day(8))
    services.disruption_record(actor=police, entity=hotel, details=services.DisruptionDetails(
        "licensing_visit", _day(6), "Visited with the council's licensing officer; staff reminded to check the "
        "age of young guests and to call the police.", _day(-60)))


def chloe_referred_to_the_nrm(region, cast) -> None:
    """Moved to another town for sexual exploitation: a referral waiting for its first decision."""
    services.nrm_refer(access=as_user(region, "police", cast.children["chloe"]), details=services.NrmDetails(
        _day(1), "Found at a flat in Westford with an adult male after going missing from home; moved there "
                 "from Northbridge for sexual exploitation (§7).", "NRM-2026-0452"))


def shopping_centre(region, cast) -> None:
    """A hot spot: three girls seen with older men at one shopping centre within three months."""
    centre = _entity(region.users["police"], kind="place", name="Riverside Shopping Centre",
                     address="Riverside Way, Northbridge", postcode="NB1 1RS", place_type="shop",
                     area="Northbridge city centre", of_concern=True)
    c = cast.children
    _link(region, "teacher", c["jodie"], centre, "seen_with", 41, notes="With a friend's older brother.")
    _link(region, "residential", c["kayleigh"], centre, "seen_with", 20)
    _link(region, "teacher", c["megan"], centre, "seen_with", 10)


def alert_followed_up(region) -> None:
    """The police CSE lead opens the car's alert and records what was done."""
    from safeguard.intelligence.models import Alert

    police = region.users["police"]
    alert = Alert.objects.filter(pattern="shared_entity", entity__key="KX19WKA").first()
    if alert is not None:
        services.alert_viewed(user=police, alert=alert)
        services.alert_action_record(user=police, alert=alert, text="Vehicle added to ANPR watch list; the "
                                     "registered keeper is Jay Carter. Raised at the next risk panel.")


def build(region, cast) -> None:
    brothers(region, cast)
    hotel_in_another_city(region, cast)
    chloe_referred_to_the_nrm(region, cast)
    shopping_centre(region, cast)
    alert_followed_up(region)

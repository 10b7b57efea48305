"""Authorization-matrix rows for intelligence: entities, links, alerts, networks, disruption, the
National Referral Mechanism and the free-text review list.

The school's child is linked to a vehicle by the school practitioner; a second child, known only to
the children's home, is linked to the same vehicle, which raises the alert the alert rows use.
Intelligence is seen whole by named leads, children's social care, the police CSE lead and the panel;
everyone else who works with children sees what is linked to children they may see.
"""

from tests.matrix import CHILD_LEVEL, SEES_SCHOOL_CHILD, Expect, Row, api_expect, who

INTELLIGENCE = {"named_lead", "mash_worker", "police_lead", "panel_chair", "panel_member"}  # panel members see it whole
SEES_ENTITY = SEES_SCHOOL_CHILD | INTELLIGENCE
DISRUPTS = {"named_lead", "mash_worker", "police_lead", "panel_chair"}
# The police CSE lead, children's social care and the panel see every alert; the school's named lead
# was sent this one (their agency's child is in it).
SEES_ALERT = {"named_lead", "mash_worker", "police_lead", "panel_chair", "panel_member"}
SIGNED_IN_405 = Expect(405, {"anonymous": 302})


def _linked(ctx):
    from tests.intelligence.builders import link, vehicle

    if "car" not in ctx:
        car = vehicle(ctx["personas"].practitioner)
        link(ctx["personas"].practitioner, ctx["child"], car)
        ctx["car"] = car
    return ctx["car"]


def entity(ctx):
    return {"entity_id": _linked(ctx).pk}


def alert(ctx):
    from tests.factories import child
    from tests.intelligence.builders import link

    car = _linked(ctx)
    other = child(first_name="Kayleigh", involved=[ctx["personas"].residential], lead=ctx["personas"].residential)
    found = link(ctx["personas"].residential_worker, other, car).alerts
    return {"alert_id": found[0].pk}


def network(ctx):
    return {"network_id": _linked(ctx).member.network_id}


def child(ctx):
    return {"child_id": ctx["child"].pk}


def nrm(ctx):
    from django.utils import timezone

    from safeguard.intelligence import services
    from tests.factories import access_for

    referral = services.nrm_refer(access=access_for(ctx["personas"].practitioner, ctx["child"]),
                                  details=services.NrmDetails(timezone.localdate(), "Moved between cities"))
    return {"child_id": ctx["child"].pk, "nrm_id": referral.pk}


def api_nrm(ctx):
    return {"nrm_id": nrm(ctx)["nrm_id"]}


def review_item(ctx):
    from django.contrib.contenttypes.models import ContentType

    from safeguard.intelligence.models import FreeTextReview

    item = FreeTextReview.objects.create(
        child=ctx["child"], source_type=ContentType.objects.get_for_model(ctx["child"]), source_id=ctx["child"].pk,
        field="vehicles", text="a silver car", agency=ctx["personas"].school,
    )
    return {"item_id": item.pk}


ROWS = {
    "intelligence:search": Row(get=who(200, CHILD_LEVEL, 404)),
    "intelligence:picker": Row(get=who(200, CHILD_LEVEL, 404), query="?q=ab12"),
    "intelligence:entity_create": Row(get=who(200, CHILD_LEVEL, 404), post=who(200, CHILD_LEVEL, 404)),
    "intelligence:entity": Row(kwargs=entity, get=who(200, SEES_ENTITY, 404)),
    "intelligence:entity_edit": Row(kwargs=entity, get=who(200, SEES_ENTITY, 404), post=who(200, SEES_ENTITY, 404)),
    "intelligence:entity_link": Row(kwargs=entity, get=who(200, SEES_ENTITY, 404), post=who(200, SEES_ENTITY, 404)),
    "intelligence:disruption_add": Row(kwargs=entity, get=who(200, DISRUPTS, 404), post=who(200, DISRUPTS, 404)),
    "intelligence:alerts": Row(get=who(200, INTELLIGENCE, 404)),
    "intelligence:alert": Row(kwargs=alert, get=who(200, SEES_ALERT, 404)),
    "intelligence:alert_action": Row(kwargs=alert, get=SIGNED_IN_405, post=who(200, SEES_ALERT, 404)),
    "intelligence:network": Row(kwargs=network, get=who(200, SEES_ENTITY, 404)),
    "intelligence:review": Row(get=who(200, INTELLIGENCE, 404)),
    # Only the named lead of the agency that wrote the text reviews it.
    "intelligence:review_done": Row(kwargs=review_item, get=SIGNED_IN_405, post=who(302, {"named_lead"}, 404)),
    "intelligence:child": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "intelligence:link_add": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                 post=who(200, SEES_SCHOOL_CHILD, 404)),
    "intelligence:movement_add": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                     post=who(200, SEES_SCHOOL_CHILD, 404)),
    "intelligence:nrm_add": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                post=who(200, SEES_SCHOOL_CHILD, 404)),
    "intelligence:nrm": Row(kwargs=nrm, get=who(200, SEES_SCHOOL_CHILD, 404), post=who(200, SEES_SCHOOL_CHILD, 404)),
    # The API: the same rules; 403 for roles without children's records, as DRF says it.
    "api:intelligence-entities": Row(get=api_expect(200, CHILD_LEVEL, 200), post=api_expect(400, CHILD_LEVEL, 400)),
    # PUT with an empty body: a vehicle needs its registration (400); an empty PATCH changes nothing (200).
    "api:intelligence-entity": Row(kwargs=entity, get=api_expect(200, SEES_ENTITY, 404),
                                   put=api_expect(400, SEES_ENTITY, 404), patch=api_expect(200, SEES_ENTITY, 404)),
    "api:intelligence-disruptions": Row(kwargs=entity, get=api_expect(200, SEES_ENTITY, 404),
                                        post=api_expect(400, SEES_ENTITY, 404)),  # empty body: 400
    "api:intelligence-links": Row(get=api_expect(400, CHILD_LEVEL, 400), post=api_expect(400, CHILD_LEVEL, 400)),
    "api:intelligence-alerts": Row(get=api_expect(200, INTELLIGENCE, 404)),
    "api:intelligence-alert": Row(kwargs=alert, get=api_expect(200, SEES_ALERT, 404)),
    "api:intelligence-alert-actions": Row(kwargs=alert, post=api_expect(400, SEES_ALERT, 404)),
    "api:intelligence-nrm": Row(kwargs=child, get=api_expect(200, SEES_SCHOOL_CHILD, 404),
                                post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:intelligence-nrm-decision": Row(kwargs=api_nrm, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
}

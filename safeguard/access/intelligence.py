"""Who may see and record intelligence (intelligence.md; handbook §10.1.4, §11.2, §13, §15).

Intelligence is seen whole by the police, children's social care, named leads and the risk panel.
A practitioner may add links on a child they work with and sees the entities linked to children
they may see. A child named in intelligence is shown by name only to someone who may see that
child; to anyone else as "a child known to <agency>". A hidden entity, alert or network answers
404, exactly as one that does not exist. Every read is written to the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Child
from safeguard.intelligence.models import Alert, AlertRecipient, Entity, Link, Network, NetworkMember

from .policy import children_visible_to, works_with_children

# Roles that see intelligence whole (intelligence.md, issue 12 item 8).
INTELLIGENCE_ROLES = (Role.POLICE_LEAD, Role.CSC_MASH, Role.NAMED_LEAD, Role.MARP_CHAIR, Role.MARP_MEMBER)
# Roles that see every alert, not only those sent to them: the police CSE lead, children's social
# care and the panel (its chair coordinates it).
ALL_ALERT_ROLES = (Role.POLICE_LEAD, Role.CSC_MASH, Role.MARP_CHAIR, Role.MARP_MEMBER)
# Who records disruption (§15 Pursue) and National Referral Mechanism decisions.
DISRUPTION_ROLES = (Role.POLICE_LEAD, Role.CSC_MASH, Role.NAMED_LEAD, Role.MARP_CHAIR)


def may_see_intelligence(user: Any) -> bool:
    """The police, children's social care, named leads and panel members see intelligence whole."""
    return works_with_children(user) and bool(user.has_role(*INTELLIGENCE_ROLES))


def may_add_links(user: Any) -> bool:
    """Anyone who works with children's records may link a child they may change to an entity."""
    return works_with_children(user)


def may_record_disruption(user: Any) -> bool:
    return works_with_children(user) and bool(user.has_role(*DISRUPTION_ROLES))


def _audit_read(user: Any, target: Any, what: str, request: Any = None) -> None:
    audit_record(
        verb=Verb.INTELLIGENCE_VIEWED,
        actor=user,
        target=target,
        payload={"what": what, "path": request.path[:200] if request is not None else ""},
    )


def entities_visible_to(user: Any, *, children: QuerySet[Child] | None = None) -> QuerySet[Entity]:
    """Every entity the user may see: all of them for intelligence roles, otherwise those linked to a
    child the user may see (``children``: the policy's answer for the request, with break glass)."""
    if may_see_intelligence(user):
        return Entity.objects.all()
    if not works_with_children(user):
        return Entity.objects.none()
    visible = children if children is not None else children_visible_to(user)
    return Entity.objects.filter(
        Exists(Link.objects.filter(entity=OuterRef("pk"), child__in=visible))
        | Exists(Link.objects.filter(other=OuterRef("pk"), entity__links__child__in=visible))
    )


def entity_for_user(user: Any, entity_id: Any, *, request: Any = None, record_view: bool = False) -> Entity:
    """The entity, or Http404 if it does not exist or the user may not see it; with ``record_view``
    the read is audited."""
    try:
        pk = int(entity_id)
    except (TypeError, ValueError):
        raise Http404("No such record") from None
    entity = entities_visible_to(user).filter(pk=pk).first()
    if entity is None:
        raise Http404("No such record")
    if record_view:
        _audit_read(user, entity, "entity", request)
    return entity


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    """The police CSE lead, children's social care and the panel see every alert; a named lead sees
    the alerts sent to them."""
    if not may_see_intelligence(user):
        return Alert.objects.none()
    if user.has_role(*ALL_ALERT_ROLES):
        return Alert.objects.all()
    return Alert.objects.filter(Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"), user=user)))


def alert_for_user(user: Any, alert_id: Any, *, request: Any = None, record_view: bool = False) -> Alert:
    try:
        pk = int(alert_id)
    except (TypeError, ValueError):
        raise Http404("No such record") from None
    alert = alerts_visible_to(user).select_related("entity", "network", "link").filter(pk=pk).first()
    if alert is None:
        raise Http404("No such record")
    if record_view:
        _audit_read(user, alert, "alert", request)
    return alert


def network_for_user(user: Any, network_id: Any, *, request: Any = None, record_view: bool = False) -> Network:
    """A network is seen whole by intelligence roles; anyone else sees a network only if it holds a
    child they may see (and then sees other children in it without their names)."""
    try:
        pk = int(network_id)
    except (TypeError, ValueError):
        raise Http404("No such record") from None
    network = Network.objects.filter(pk=pk, merged_into__isnull=True).first()
    if network is None:
        raise Http404("No such record")
    if not may_see_intelligence(user):
        if not works_with_children(user) or not NetworkMember.objects.filter(
            network=network, child__in=children_visible_to(user)
        ).exists():
            raise Http404("No such record")
    if record_view:
        _audit_read(user, network, "network", request)
    return network


def record_intelligence_read(user: Any, target: Any, what: str, *, request: Any = None) -> None:
    """Audit a read of intelligence that is not one entity, alert or network (a search, a list, an
    API page): every read of intelligence is audited like a child's record."""
    _audit_read(user, target, what, request)


def visible_child_ids(user: Any, child_ids: set[int], *, children: QuerySet[Child] | None = None) -> set[int]:
    """Which of these children the user may see by name (one query)."""
    if not child_ids:
        return set()
    if children is None:
        return set(children_visible_to(user, among=child_ids).values_list("pk", flat=True))
    return set(children.filter(pk__in=child_ids).values_list("pk", flat=True))


def links_visible_q(user: Any, *, children: QuerySet[Child] | None = None) -> Q:
    """A filter for links the user may see: all for intelligence roles, otherwise links on children
    they may see and links between entities (which name no child)."""
    if may_see_intelligence(user):
        return Q()
    visible = children if children is not None else children_visible_to(user)
    return Q(child__in=visible) | Q(child__isnull=True)


def require_may_record_disruption(user: Any) -> None:
    """Raise PermissionDenied unless the user records disruption and panel decisions (§15)."""
    from django.core.exceptions import PermissionDenied

    if not may_record_disruption(user):
        raise PermissionDenied("Your role does not record disruption")


def entities_linkable_by(user: Any) -> QuerySet[Entity]:
    """Entities the user may pick when linking a child or recording what they know: every entity,
    for anyone who works with children's records, so that the same car, phone or person recorded by
    another agency is found and linked, not recorded twice. The picker shows a label only; the
    entity's page and its other links stay behind ``entities_visible_to``."""
    return Entity.objects.all() if may_add_links(user) else Entity.objects.none()

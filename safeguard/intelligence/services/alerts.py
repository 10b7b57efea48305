"""Raising pattern alerts (once per pattern and subject, by a unique constraint) and sending them to
the named leads of the agencies involved, the police CSE lead and the risk panel's chair, who
coordinates the panel (intelligence.md); recording who opened an alert and what was done."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.accounts.models import Role, RoleGrant, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Involvement
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify

from ..models import Alert, AlertAction, AlertChild, AlertRecipient, Entity, Link, Network

NOTIFICATION_KIND = "intelligence_alert"


RECIPIENT_ROLES = ((Role.NAMED_LEAD, "named_lead"), (Role.POLICE_LEAD, "police_lead"), (Role.MARP_CHAIR, "panel"))


def alert_recipients(child_ids: Sequence[int]) -> list[tuple[User, str]]:
    """(user, why) for an alert about these children: named leads of every agency involved with
    them, every police CSE lead, and the risk panel's chairs. One query (the role grants with their
    users, the agencies involved as a subquery); someone in two of these roles is told once, as the
    first of them."""
    involved = Involvement.objects.filter(child_id__in=list(child_ids)).values("agency_id")
    grants = (
        RoleGrant.objects.filter(user__is_active=True)
        .filter(Q(role=Role.NAMED_LEAD, user__agency_id__in=involved)
                | Q(role__in=[Role.POLICE_LEAD, Role.MARP_CHAIR]))
        .select_related("user").order_by("user_id")
    )
    rank: dict[str, int] = {str(role): n for n, (role, _why) in enumerate(RECIPIENT_ROLES)}
    why: dict[str, str] = {str(role): reason for role, reason in RECIPIENT_ROLES}
    found: dict[int, tuple[User, str]] = {}
    for grant in sorted(grants, key=lambda g: (rank[g.role], g.user_id)):
        found.setdefault(grant.user_id, (grant.user, why[grant.role]))
    return list(found.values())


def alert_raise(
    *,
    pattern: str,
    subject_key: str,
    link: Link,
    title: str,
    child_ids: Sequence[int],
    entity: Entity | None = None,
    child_id: int | None = None,
    network: Network | None = None,
) -> Alert | None:
    """Raise the alert unless one exists for this pattern and subject; None if it did. A concurrent
    save that raised it first makes this insert fail on the unique constraint (inside a savepoint),
    so two transactions raise one alert between them."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                pattern=pattern, subject_key=subject_key, link=link, title=title[:200], entity=entity,
                child_id=child_id, network=network, raised_at=timezone.now(),
            )
    except IntegrityError:
        return None
    AlertChild.objects.bulk_create([AlertChild(alert=alert, child_id=c) for c in dict.fromkeys(child_ids)])
    recipients = alert_recipients(child_ids)
    AlertRecipient.objects.bulk_create([AlertRecipient(alert=alert, user=u, why=why) for u, why in recipients])
    notify(
        recipients=[u for u, _why in recipients],
        kind=NOTIFICATION_KIND,
        title=f"Intelligence alert: {alert.get_pattern_display()}",
        url=alert.get_absolute_url(),
        level=Notification.Level.ALERT,
        dedupe_key=f"intelligence:alert:{alert.pk}",
    )
    audit_record(
        verb=Verb.ALERT_RAISED, actor=link.recorded_by, target=alert,
        payload={"kind": "intelligence", "pattern": pattern, "subject": subject_key, "children": len(child_ids),
                 "recipients": len(recipients)},
    )
    return alert


def alert_viewed(*, user, alert: Alert) -> None:
    """Record that a recipient opened the alert (the first time only)."""
    AlertRecipient.objects.filter(alert=alert, user=user, viewed_at__isnull=True).update(viewed_at=timezone.now())
    audit_record(verb=Verb.ALERT_VIEWED, actor=user, target=alert, payload={"pattern": alert.pattern})


def alert_action_record(*, user, alert: Alert, text: str) -> AlertAction:
    """What the user did about the alert (shared with everyone who sees it)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Say what was done"})
    with transaction.atomic():
        action = AlertAction.objects.create(alert=alert, text=text, by=user, agency=user.agency, at=timezone.now())
        AlertRecipient.objects.filter(alert=alert, user=user, viewed_at__isnull=True).update(viewed_at=action.at)
        audit_record(verb=Verb.ALERT_ACTION_RECORDED, actor=user, target=alert, payload={"pattern": alert.pattern})
    return action

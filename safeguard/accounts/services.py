"""Account changes: each one checks, changes and records in one transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.notifications.services import notify

from .models import CHILD_LEVEL_ROLES, Agency, EnrolmentCode, Role, RoleGrant, RoleGrantRequest, User

BACKUP_CODE_COUNT = 10


def user_create(
    *, username: str, password: str, agency: Agency | None, roles: list[str], first_name: str = "",
    last_name: str = "", email: str = "", job_title: str = "", actor: User | None = None,
    is_staff: bool = False, is_superuser: bool = False,
) -> User:
    for role in roles:
        Role(role)
    with transaction.atomic():
        user = User(
            username=username, agency=agency, first_name=first_name, last_name=last_name, email=email,
            job_title=job_title, is_staff=is_staff, is_superuser=is_superuser,
        )
        user.set_password(password)
        user.save()
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        audit_record(verb=Verb.USER_CREATED, actor=actor, target=user, payload={"roles": sorted(roles)})
    return user


def user_deactivate(*, user: User, actor: User) -> None:
    """Deactivating signs the user out everywhere: their sessions stop authenticating at once."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(verb=Verb.USER_DEACTIVATED, actor=actor, target=user)


def password_changed(*, user: User) -> None:
    """Record a password change the user made, and lift the demand to change it."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
        audit_record(verb=Verb.PASSWORD_CHANGED, actor=user, target=user)


def training_accounts_prepare(*, users) -> int:
    """A training site's published logins must choose their own password and enrol two-factor at
    first sign-in: mark them to change password and remove any authenticator they might have."""
    ids = [u.pk for u in users]
    with transaction.atomic():
        User.objects.filter(pk__in=ids).update(must_change_password=True)
        TOTPDevice.objects.filter(user_id__in=ids).delete()
        StaticDevice.objects.filter(user_id__in=ids).delete()
    return len(ids)


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _code_hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).upper().encode()).hexdigest()


def enrolment_code_issue(*, actor: User | None, user: User) -> str:
    """A new one-time enrolment code for `user` (any earlier unused one stops working); shown once.

    `actor` is the administrator, or None for `safeguard enrolment-code` run on the server.
    """
    if actor is not None:
        if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
            raise RoleChangeRefused("Only an administrator can issue an enrolment code.")
        if actor.pk == user.pk:
            raise RoleChangeRefused("Ask another administrator for your own enrolment code.")
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        EnrolmentCode.objects.create(
            user=user, code_hash=_code_hash(code), issued_by=actor, issued_at=now,
            expires_at=now + timedelta(hours=settings.SAFEGUARD_ENROLMENT_CODE_HOURS),
        )
        audit_record(verb=Verb.ENROLMENT_CODE_ISSUED, actor=actor, target=user,
                     payload={"user_id": user.pk, "via": "admin" if actor else "server"})
    return f"{code[:5]}-{code[5:]}"


def enrolment_code_valid(*, user: User, code: str) -> EnrolmentCode | None:
    """The user's unused, unexpired code matching `code` (case and spaces ignored), or None."""
    cleaned = "".join(code.replace("-", " ").split())
    return EnrolmentCode.objects.filter(
        user=user, code_hash=_code_hash(cleaned), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def totp_device_for_enrolment(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_confirm(
    *, user: User, device: TOTPDevice, token: str, enrolment_code_id: int | None = None
) -> list[str] | None:
    """Confirm enrolment when the code is right; return the new backup codes (shown once). The
    enrolment code that opened the page (if one was needed) is used up in the same transaction."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        if enrolment_code_id is not None:
            used = EnrolmentCode.objects.filter(
                pk=enrolment_code_id, user=user, used_at__isnull=True).update(used_at=timezone.now())
            if not used:
                return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        audit_record(verb=Verb.TWO_FACTOR_ENROLLED, actor=user, target=user)
    return codes


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class RoleChangeRefused(Exception):
    """A role change the rules do not allow; the message says why in plain words."""


def _require_administrator(actor: User) -> None:
    if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise RoleChangeRefused("Only an administrator can change roles.")


def _needs_second_administrator(user: User, role: str) -> bool:
    """A child-level role for an account that today holds only administration (four eyes)."""
    held = user.role_set
    return role in CHILD_LEVEL_ROLES and Role.ADMINISTRATOR in held and not (held & CHILD_LEVEL_ROLES)


def _tell_about_role(*, user: User, role: str, verb: str) -> None:
    """The person and their agency's named leads hear of it; no child's details are involved."""
    leads = User.objects.filter(agency=user.agency, role_grants__role=Role.NAMED_LEAD, is_active=True) if (
        user.agency_id) else User.objects.none()
    title = f"{user.get_full_name() or user.username}: {Role(role).label} {verb}"
    notify(recipients=[user, *leads], kind="role_changed", title=title)


def _grant_now(*, actor: User, user: User, role: str, approved_by: User | None = None) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role)
    if not created:
        raise RoleChangeRefused(f"{user.username} already holds the role {Role(role).label}.")
    if role == Role.ADMINISTRATOR and not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
    payload = {"role": role, "user_id": user.pk}
    if approved_by is not None:
        payload["approved_by"] = approved_by.pk
    audit_record(verb=Verb.ROLE_GRANTED, actor=actor if approved_by is None else approved_by, target=user,
                 payload={**payload, "requested_by": actor.pk})
    _tell_about_role(user=user, role=role, verb="granted")
    user.__dict__.pop("_role_cache", None)  # roles are read again
    return grant


def role_grant(*, actor: User, user: User, role: str) -> RoleGrant | RoleGrantRequest:
    """Give `user` a role. Nobody grants themselves anything; a child-level role for an
    administrator-only account waits for a second administrator (returns the pending request)."""
    Role(role)
    _require_administrator(actor)
    if actor.pk == user.pk:
        raise RoleChangeRefused("You cannot change your own roles. Ask another administrator.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if _needs_second_administrator(user, role):
            if RoleGrantRequest.objects.filter(user=user, role=role, status=RoleGrantRequest.Status.PENDING).exists():
                raise RoleChangeRefused("That role is already waiting for a second administrator.")
            pending = RoleGrantRequest.objects.create(user=user, role=role, requested_by=actor)
            audit_record(verb=Verb.ROLE_GRANT_REQUESTED, actor=actor, target=user,
                         payload={"role": role, "user_id": user.pk, "request_id": pending.pk})
            others = User.objects.filter(role_grants__role=Role.ADMINISTRATOR, is_active=True).exclude(
                pk__in=[actor.pk, user.pk])
            notify(recipients=others, kind="role_grant_requested",
                   title=f"A role for {user.username} needs a second administrator's approval")
            return pending
        return _grant_now(actor=actor, user=user, role=role)


def role_grant_decide(*, actor: User, request: RoleGrantRequest, approve: bool) -> RoleGrant | None:
    """A second administrator (neither the one who asked nor the person concerned) decides."""
    _require_administrator(actor)
    with transaction.atomic():
        pending = RoleGrantRequest.objects.select_for_update().select_related("user", "requested_by").get(
            pk=request.pk)
        if pending.status != RoleGrantRequest.Status.PENDING:
            raise RoleChangeRefused(f"This request was already {pending.get_status_display().lower()}.")
        if actor.pk in {pending.requested_by_id, pending.user_id}:
            raise RoleChangeRefused("A second administrator must decide: not the one who asked, nor the person.")
        pending.status = RoleGrantRequest.Status.APPROVED if approve else RoleGrantRequest.Status.REFUSED
        pending.decided_by = actor
        pending.decided_at = timezone.now()
        pending.save(update_fields=["status", "decided_by", "decided_at"])
        if not approve:
            audit_record(verb=Verb.ROLE_GRANT_REFUSED, actor=actor, target=pending.user,
                         payload={"role": pending.role, "user_id": pending.user_id, "request_id": pending.pk})
            return None
        return _grant_now(actor=pending.requested_by, user=pending.user, role=pending.role, approved_by=actor)


def role_revoke(*, actor: User, user: User, role: str) -> None:
    """Take a role away. Nobody changes their own roles."""
    Role(role)
    _require_administrator(actor)
    if actor.pk == user.pk:
        raise RoleChangeRefused("You cannot change your own roles. Ask another administrator.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise RoleChangeRefused(f"{user.username} does not hold the role {Role(role).label}.")
        if role == Role.ADMINISTRATOR:
            User.objects.filter(pk=user.pk).update(is_staff=False)
        audit_record(verb=Verb.ROLE_REVOKED, actor=actor, target=user, payload={"role": role, "user_id": user.pk})
        _tell_about_role(user=user, role=role, verb="taken away")
        user.__dict__.pop("_role_cache", None)  # roles are read again

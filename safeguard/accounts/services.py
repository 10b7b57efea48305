"""Account changes: each one checks, changes and records in one transaction."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .models import Agency, Role, RoleGrant, User

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


def totp_device_for_enrolment(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment when the code is right; return the new backup codes (shown once)."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
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

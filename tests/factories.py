"""Small builders for tests: agencies, personas and children, created through the services."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import date

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import Agency, AgencyKind, Role, User
from safeguard.accounts.services import user_create
from safeguard.children.models import Child, Involvement

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def agency(kind: str, name: str | None = None) -> Agency:
    return Agency.objects.create(name=name or f"{AgencyKind(kind).label} {next(_seq)}", kind=kind)


def user(username: str, agency_obj: Agency | None, *roles: str, **extra) -> User:
    return user_create(
        username=username, password=PASSWORD, agency=agency_obj, roles=list(roles),
        first_name=extra.pop("first_name", username.split("_")[0].title()),
        last_name=extra.pop("last_name", "Tester"), **extra,
    )


def child(*, first_name="Jodie", last_name="Smyth", dob=date(2012, 5, 14), involved: list[Agency] = (),
          lead: Agency | None = None, **fields) -> Child:
    record = Child.objects.create(first_name=first_name, last_name=last_name, date_of_birth=dob,
                                  lead_agency=lead, **fields)
    for a in involved:
        Involvement.objects.create(child=record, agency=a, reason=Involvement.Reason.RECORDED)
    return record


def login_verified(client, person: User) -> None:
    """Sign in as `person` with a confirmed authenticator already verified in this session."""
    device, _ = TOTPDevice.objects.get_or_create(user=person, name="test", defaults={"confirmed": True})
    client.force_login(person)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["_sg_code_at"] = int(time.time())  # the code was just given (step-up, accounts/step_up.py)
    session.save()


@dataclass
class Personas:
    school: Agency
    health: Agency
    police: Agency
    csc: Agency
    residential: Agency
    voluntary: Agency
    lscb: Agency
    practitioner: User  # school practitioner
    health_practitioner: User
    residential_worker: User
    named_lead: User  # school named lead
    designated_lead: User  # school DSL
    senior_manager: User  # school senior manager
    mash_worker: User
    police_lead: User
    panel_chair: User
    panel_member: User  # voluntary sector, sits on the risk panel only
    analyst: User
    admin: User
    outsider: User  # voluntary-sector practitioner, involved with nobody

    def all(self) -> dict[str, User]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, User)}


def make_personas() -> Personas:
    school = agency(AgencyKind.SCHOOL, "Northgate Academy")
    health = agency(AgencyKind.HEALTH, "City Sexual Health Service")
    police = agency(AgencyKind.POLICE, "County Police")
    csc = agency(AgencyKind.CSC, "Family Contact Point (MASH)")
    residential = agency(AgencyKind.RESIDENTIAL, "Care View Children's Home")
    voluntary = agency(AgencyKind.VOLUNTARY, "Harbour Youth Project")
    lscb = agency(AgencyKind.LSCB, "Safeguarding Children Board")
    return Personas(
        school=school, health=health, police=police, csc=csc, residential=residential, voluntary=voluntary, lscb=lscb,
        practitioner=user("tara_teacher", school, Role.PRACTITIONER),
        health_practitioner=user("nina_nurse", health, Role.PRACTITIONER),
        residential_worker=user("rob_residential", residential, Role.PRACTITIONER),
        named_lead=user("nadia_lead", school, Role.NAMED_LEAD, Role.PRACTITIONER),
        designated_lead=user("dev_dsl", school, Role.DESIGNATED_LEAD, Role.PRACTITIONER),
        senior_manager=user("sam_senior", school, Role.SENIOR_MANAGER),
        mash_worker=user("maya_mash", csc, Role.CSC_MASH, Role.PRACTITIONER),
        police_lead=user("pete_police", police, Role.POLICE_LEAD, Role.PRACTITIONER),
        panel_chair=user("paula_panel", csc, Role.MARP_CHAIR),
        panel_member=user("mark_member", voluntary, Role.MARP_MEMBER),
        analyst=user("ann_analyst", lscb, Role.LSCB_ANALYST),
        admin=user("adam_admin", lscb, Role.ADMINISTRATOR, is_staff=True),
        outsider=user("olly_outsider", voluntary, Role.PRACTITIONER),
    )


def access_for(person: User, child_obj: Child, *, change: bool = True):
    """The ``ChildAccess`` a page would get for this person (Http404 if they may not see the child)."""
    from safeguard.access.policy import child_for_user

    return child_for_user(person, child_obj.pk, change=change)

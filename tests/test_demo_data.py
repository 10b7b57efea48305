from django.core.management import call_command

from safeguard.accounts.models import Agency, AgencyKind, Role, RoleGrant, User
from safeguard.audit.services import audit_verify


def test_demo_region_has_every_agency_kind_and_role_and_a_valid_audit_chain(db):
    call_command("demo-data")
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="teacher").check_password("Safeguard-demo-2026")
    assert audit_verify().ok
    call_command("demo-data")  # a second run changes nothing
    assert User.objects.count() == len(set(User.objects.values_list("username", flat=True)))

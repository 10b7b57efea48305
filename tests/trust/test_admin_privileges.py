"""Issue 11 items 1 and 3: nobody grants themselves anything through the admin; roles change only
through the audited services; the admin's sign-in is the product's."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from safeguard.accounts.models import Role, RoleGrant, RoleGrantRequest, User
from safeguard.accounts.services import RoleChangeRefused, role_grant, role_grant_decide, role_revoke
from safeguard.audit.models import AuditEvent, Verb
from safeguard.notifications.models import Notification
from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db


def _change_form_data(person: User, **changes) -> dict:
    data = {
        "username": person.username, "first_name": person.first_name, "last_name": person.last_name,
        "email": person.email, "agency": person.agency_id or "", "job_title": "", "phone": "",
        "is_active": "on", "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "role_grants-TOTAL_FORMS": "0", "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_cannot_make_themselves_superuser_or_staff(client_for, personas):
    admin_user = personas.admin
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    client.post(url, _change_form_data(admin_user, is_superuser="on", is_staff="on"))
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page


def test_admin_cannot_give_another_user_superuser(client_for, personas):
    client = client_for(personas.admin)
    target = personas.practitioner
    client.post(reverse("admin:accounts_user_change", args=[target.pk]), _change_form_data(target, is_superuser="on"))
    target.refresh_from_db()
    assert not target.is_superuser


def test_role_inline_cannot_add_a_role(client_for, personas):
    admin_user = personas.admin
    client = client_for(admin_user)
    data = _change_form_data(admin_user, **{
        "role_grants-TOTAL_FORMS": "1", "role_grants-0-role": Role.POLICE_LEAD, "role_grants-0-user": admin_user.pk,
    })
    client.post(reverse("admin:accounts_user_change", args=[admin_user.pk]), data)
    assert not RoleGrant.objects.filter(user=admin_user, role=Role.POLICE_LEAD).exists()


def test_admin_cannot_grant_themselves_a_role_through_the_roles_page(client_for, personas):
    client = client_for(personas.admin)
    response = client.post(reverse("admin:accounts_user_roles", args=[personas.admin.pk]),
                           {"role": Role.POLICE_LEAD, "change": "grant"})
    assert response.status_code == 200 and "cannot change your own roles" in response.content.decode()
    assert not RoleGrant.objects.filter(user=personas.admin, role=Role.POLICE_LEAD).exists()


def test_granting_a_role_is_audited_and_told_to_the_person_and_their_named_lead(client_for, personas):
    client = client_for(personas.admin)
    target = personas.practitioner
    page = client.get(reverse("admin:accounts_user_roles", args=[target.pk]))
    assert page.status_code == 200 and "Practitioner" in page.content.decode()
    assert reverse("admin:accounts_user_roles", args=[target.pk]) in client.get(
        reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    response = client.post(reverse("admin:accounts_user_roles", args=[target.pk]),
                           {"role": Role.DESIGNATED_LEAD, "change": "grant"})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=target, role=Role.DESIGNATED_LEAD).exists()
    event = AuditEvent.objects.get(verb=Verb.ROLE_GRANTED)
    assert event.actor == personas.admin and event.target_id == str(target.pk)
    assert event.payload["role"] == Role.DESIGNATED_LEAD
    told = set(Notification.objects.filter(kind="role_changed").values_list("recipient__username", flat=True))
    assert told == {target.username, personas.named_lead.username}
    assert all(n.child_id is None for n in Notification.objects.all())

    client.post(reverse("admin:accounts_user_roles", args=[target.pk]),
                {"role": Role.DESIGNATED_LEAD, "change": "revoke"})
    assert not RoleGrant.objects.filter(user=target, role=Role.DESIGNATED_LEAD).exists()
    assert AuditEvent.objects.filter(verb=Verb.ROLE_REVOKED, target_id=str(target.pk)).exists()


def test_child_level_role_for_an_administrator_only_account_needs_a_second_administrator(personas):
    first = personas.admin
    second = user("ada_admin", personas.lscb, Role.ADMINISTRATOR, is_staff=True)
    other_admin = user("alf_admin", personas.lscb, Role.ADMINISTRATOR, is_staff=True)
    pending = role_grant(actor=first, user=other_admin, role=Role.POLICE_LEAD)
    assert isinstance(pending, RoleGrantRequest)
    assert not RoleGrant.objects.filter(user=other_admin, role=Role.POLICE_LEAD).exists()
    with pytest.raises(RoleChangeRefused, match="second administrator"):
        role_grant_decide(actor=first, request=pending, approve=True)
    with pytest.raises(RoleChangeRefused, match="second administrator"):
        role_grant_decide(actor=other_admin, request=pending, approve=True)
    role_grant_decide(actor=second, request=pending, approve=True)
    assert RoleGrant.objects.filter(user=other_admin, role=Role.POLICE_LEAD).exists()
    event = AuditEvent.objects.get(verb=Verb.ROLE_GRANTED)
    assert event.actor == second and event.payload["requested_by"] == first.pk


def test_second_administrator_approves_through_the_admin_action(client_for, personas):
    other_admin = user("alf_admin", personas.lscb, Role.ADMINISTRATOR, is_staff=True)
    second = user("ada_admin", personas.lscb, Role.ADMINISTRATOR, is_staff=True)
    pending = role_grant(actor=personas.admin, user=other_admin, role=Role.CSC_MASH)
    client = client_for(second)
    response = client.post(reverse("admin:accounts_rolegrantrequest_changelist"),
                           {"action": "approve", "_selected_action": [pending.pk]})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=other_admin, role=Role.CSC_MASH).exists()


def test_only_administrators_change_roles(personas):
    with pytest.raises(RoleChangeRefused):
        role_grant(actor=personas.named_lead, user=personas.practitioner, role=Role.NAMED_LEAD)
    with pytest.raises(RoleChangeRefused):
        role_revoke(actor=personas.admin, user=personas.admin, role=Role.ADMINISTRATOR)


def test_createsuperuser_on_the_server_is_audited(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--no-input", "--username", "root_on_server", "--email", "r@example.org")
    event = AuditEvent.objects.get(verb=Verb.SUPERUSER_CREATED)
    assert event.target_id == str(User.objects.get(username="root_on_server").pk)


def test_otp_admin_hides_secrets(settings):
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True


def test_admin_sign_in_is_the_products_sign_in(client, personas):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    # A right password posted to the admin's own form signs nobody in, and is recorded.
    response = client.post("/admin/login/", {"username": personas.admin.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb=Verb.ADMIN_SIGN_IN_REDIRECTED,
                                     payload__username=personas.admin.username).exists()
    # A wrong password is no different: nothing signed in, the attempt recorded.
    client.post("/admin/login/", {"username": personas.admin.username, "password": "wrong"})
    assert AuditEvent.objects.filter(verb=Verb.ADMIN_SIGN_IN_REDIRECTED).count() == 2
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []

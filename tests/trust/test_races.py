"""Races on PostgreSQL (threads with their own connections): audit reads never queue on one row;
two administrators granting the same role at once grant it once."""

import threading

import pytest

from safeguard.accounts.models import Role, RoleGrant
from safeguard.accounts.services import RoleChangeRefused, role_grant
from safeguard.audit.models import AuditEvent, Verb
from safeguard.audit.services import audit_record, audit_verify
from tests.factories import make_personas, user

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_read_audits_do_not_block_each_other(race):
    from django.db import transaction

    first_written = threading.Event()
    second_done = threading.Event()

    def slow_reader():
        with transaction.atomic():
            audit_record(verb=Verb.CHILD_VIEWED, target_type="children.child", target_id=1, child_id=1)
            first_written.set()
            # Hold this transaction open until the other reader has finished (or give up).
            return second_done.wait(timeout=10)

    def quick_reader():
        assert first_written.wait(timeout=10)
        with transaction.atomic():
            audit_record(verb=Verb.CHILD_VIEWED, target_type="children.child", target_id=2, child_id=2)
        second_done.set()
        return True

    slow, quick = race(slow_reader, quick_reader)
    assert quick is True
    assert slow is True, "the second read waited for the first reader's transaction: a lock queue"
    assert AuditEvent.objects.filter(verb=Verb.CHILD_VIEWED).count() == 2
    result = audit_verify()
    assert result.ok and result.checked == AuditEvent.objects.count()


def test_two_administrators_grant_the_same_role_once(race):
    personas = make_personas()
    second_admin = user("ada_admin", personas.lscb, Role.ADMINISTRATOR, is_staff=True)
    target = personas.practitioner

    def grant(actor):
        return lambda: role_grant(actor=actor, user=target, role=Role.DESIGNATED_LEAD)

    outcomes = race(grant(personas.admin), grant(second_admin))
    refused = [o for o in outcomes if isinstance(o, RoleChangeRefused)]
    assert len(refused) == 1 and "already holds" in str(refused[0])
    assert RoleGrant.objects.filter(user=target, role=Role.DESIGNATED_LEAD).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.ROLE_GRANTED).count() == 1

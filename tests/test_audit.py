import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from safeguard.audit.models import AuditEvent, Verb
from safeguard.audit.services import audit_record, audit_seal, audit_verify

pytestmark = pytest.mark.django_db


def _events(n=3, actor=None):
    return [audit_record(verb=Verb.CHILD_VIEWED, actor=actor, target_type="children.child", target_id=i,
                         child_id=i, payload={"why": "agency_involved"}) for i in range(1, n + 1)]


def test_chain_links_each_event_to_the_one_before():
    _events()
    assert audit_seal() == 3
    first, second, third = AuditEvent.objects.order_by("seal_seq")
    assert first.prev_hash == "0" * 64 and first.seal_seq == 1
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    result = audit_verify()
    assert result.ok and result.checked == 3


def test_database_refuses_update_and_delete():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=Verb.SIGN_IN)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET payload = '{}' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == Verb.CHILD_VIEWED


def _edit_by_hand(event_id: int) -> None:
    """What someone with database access might do: lift the guard, change a row, put the guard back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred: check them now, or PostgreSQL refuses the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
            cursor.execute("UPDATE audit_auditevent SET target_id = '999' WHERE id = %s", [event_id])
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("UPDATE audit_auditevent SET target_id = '999' WHERE id = %s", [event_id])
            cursor.execute("""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
                              BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""")


def test_verify_reports_the_first_row_edited_by_hand(capsys):
    events = _events(4)
    call_command("audit", "verify")
    assert "no break" in capsys.readouterr().out
    _edit_by_hand(events[1].pk)
    result = audit_verify()
    assert not result.ok and result.first_broken_id == events[1].pk
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit", "verify")


def test_payload_refuses_free_text():
    with pytest.raises(ValueError, match="too long"):
        audit_record(verb=Verb.CHILD_VIEWED, payload={"note": "x" * 500})


def test_unknown_verb_is_refused():
    with pytest.raises(ValueError):
        audit_record(verb="made_tea")


def test_event_rolls_back_with_the_change_it_records():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(verb=Verb.CHILD_CREATED, target_type="children.child", target_id=1)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    assert audit_verify().ok


def test_an_unsealed_event_can_be_sealed_once_but_never_otherwise_changed():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(target_id="999", hash="f" * 64, seal_seq=1, prev_hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=Verb.SIGN_IN)
    audit_seal()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(hash="f" * 64)
    assert audit_verify().ok

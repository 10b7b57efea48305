"""Issue 11 item 5: the chain's head is anchored outside the database; deleting the newest rows is found."""

import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from safeguard.audit.models import AuditEvent, ChainHead, Verb
from safeguard.audit.services import audit_record, audit_verify, last_anchor
from safeguard.audit.tick import audit_seal_and_anchor
from safeguard.platform.tick import tick_checks, tick_run

pytestmark = pytest.mark.django_db


def _events(n):
    return [audit_record(verb=Verb.CHILD_VIEWED, target_type="children.child", target_id=i, child_id=i)
            for i in range(1, n + 1)]


def _delete_newest_by_hand(count: int) -> None:
    """Someone with database-owner rights lifts the guard, deletes the newest rows and rewinds the head."""
    newest = list(AuditEvent.objects.order_by("-seal_seq")[:count])
    keep = AuditEvent.objects.filter(seal_seq=newest[-1].seal_seq - 1).get()
    ids = [e.pk for e in newest]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
            cursor.execute("DELETE FROM audit_auditevent WHERE id = ANY(%s)", [ids])
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            for pk in ids:
                cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [pk])
            cursor.execute("""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
                              BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""")
    ChainHead.objects.filter(pk=1).update(last_hash=keep.hash, last_seq=keep.seal_seq, last_event_id=keep.pk)


def test_anchor_appends_the_head_to_the_file_and_prints_it(settings, capsys):
    _events(3)
    call_command("audit", "anchor")
    out = capsys.readouterr().out
    head = ChainHead.objects.get(pk=1)
    assert f"3 events, head {head.last_hash}" in out
    _events(2)
    call_command("audit", "anchor")
    lines = settings.SAFEGUARD_AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [3, 5]  # appended, never rewritten


def test_deleting_the_newest_rows_fails_verify_naming_the_anchor(capsys):
    _events(5)
    call_command("audit", "anchor")
    anchor = last_anchor()
    _delete_newest_by_hand(2)
    result = audit_verify()
    assert not result.ok and "newest rows are missing" in result.problem
    with pytest.raises(CommandError, match=re.escape(f"the anchor of {anchor.at} (5 events")):
        call_command("audit", "verify")


def test_verify_without_the_anchor_misses_it_which_is_why_the_anchor_exists():
    _events(5)
    audit_verify()
    _delete_newest_by_hand(2)
    assert audit_verify().ok  # only the anchor outside the table can tell


def test_tick_runs_the_audit_check():
    assert audit_seal_and_anchor in tick_checks()


def test_tick_seals_every_run_and_anchors_once_a_day(settings):
    _events(2)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        [result] = tick_run(now=now, checks=[audit_seal_and_anchor])
        assert result.status == "ran" and result.raised == 1
        assert not AuditEvent.objects.filter(hash__isnull=True).exists()
        _events(1)
        [again] = tick_run(now=now, checks=[audit_seal_and_anchor])
        assert again.raised == 0 and not AuditEvent.objects.filter(hash__isnull=True).exists()
    later = now + timezone.timedelta(days=1, minutes=1)
    [next_day] = tick_run(now=later, checks=[audit_seal_and_anchor])
    assert next_day.raised == 1
    assert len(settings.SAFEGUARD_AUDIT_ANCHOR_FILE.read_text().splitlines()) == 2

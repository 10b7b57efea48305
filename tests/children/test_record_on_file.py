"""The one step that records on a child's file: involvement, chronology, audit, kept flags."""

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.access.policy import ChildAccess, Why, system_access
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem, Involvement
from tests import factories

pytestmark = pytest.mark.django_db


def _access(user, child, why=Why.AGENCY_INVOLVED):
    return ChildAccess(child=child, why=why, can_change=True, user=user)


def test_records_involvement_chronology_audit_and_kept_flags(personas):
    author = personas.practitioner
    child = factories.child()
    item = record_on_file(
        _access(author, child),
        kind=ChronologyItem.Kind.NOTE,
        summary="  A   note\nabout a visit  ",
        verb=Verb.CHRONOLOGY_ENTRY_RECORDED,
        source=child,
        payload={"n": 1},
        language_kept={"text": ["streetwise"]},
    )
    assert item.summary == "A note about a visit"
    assert item.agency == author.agency and item.author == author
    assert Involvement.objects.filter(child=child, agency=author.agency).exists()
    verbs = list(AuditEvent.objects.filter(child_id=child.pk).values_list("verb", flat=True))
    assert Verb.CHRONOLOGY_ENTRY_RECORDED in verbs
    assert Verb.LANGUAGE_FLAG_KEPT in verbs


def test_break_glass_write_does_not_bring_the_agency_in(personas):
    outsider = personas.outsider
    child = factories.child(involved=[personas.school])
    record_on_file(
        _access(outsider, child, why=Why.BREAK_GLASS),
        kind=ChronologyItem.Kind.NOTE,
        summary="Seen at the youth club",
        verb=Verb.CHRONOLOGY_ENTRY_RECORDED,
        source=None,
    )
    assert not Involvement.objects.filter(child=child, agency=outsider.agency).exists()
    assert ChronologyItem.objects.filter(child=child, summary="Seen at the youth club").exists()


def test_system_access_names_no_user_and_unknown_kind_is_refused(personas):
    child = factories.child()
    access = system_access(child)
    assert access.actor is None and access.is_system
    with pytest.raises(ValueError):
        record_on_file(access, kind="nonsense", summary="x", verb=Verb.ALERT_RAISED, source=None)


def test_require_change_refuses_read_only_and_merged(personas):
    child = factories.child()
    with pytest.raises(PermissionDenied):
        ChildAccess(child=child, why=Why.AGENCY_INVOLVED, can_change=False, user=personas.analyst).require_change()

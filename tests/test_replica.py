"""The read-replica router (issue 15 item 5): only reads that tolerate lag, outside a transaction,
inside a view marked for it, go to the replica; writes and everything else go to the primary."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from safeguard.children.models import Child
from safeguard.missing.models import Episode
from safeguard.platform import replica
from safeguard.platform.replica import REPLICA, ReplicaRouter, reads_from_replica, tolerant_reads
from tests.factories import child as make_child


@pytest.fixture
def with_replica(settings):
    """A replica alias in the settings (no query is sent to it: the router is asked, not used)."""
    databases = copy.deepcopy(settings.DATABASES)
    databases[REPLICA] = {**databases["default"]}
    settings.DATABASES = databases
    yield


def test_the_settings_route_through_the_replica_router():
    assert settings.DATABASE_ROUTERS == ["safeguard.platform.replica.ReplicaRouter"]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_tolerant_reads_outside_a_transaction_go_to_the_replica(committed_db, with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Child) == "default"
    with tolerant_reads():
        assert router.db_for_read(Child) == REPLICA
        assert router.db_for_write(Child) == "default"
        with transaction.atomic():  # a transaction may write, and must see its own writes
            assert router.db_for_read(Child) == "default"
        assert router.db_for_read(Episode) == REPLICA
    assert router.db_for_read(Child) == "default"


def test_without_a_replica_everything_reads_the_primary(committed_db):
    assert REPLICA not in settings.DATABASES
    with tolerant_reads():
        assert ReplicaRouter().db_for_read(Child) == "default"


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "children") is False
    assert router.allow_migrate("default", "children") is True


def test_the_mark_lasts_for_the_view_only():
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(replica._tolerant.get())
        return "done"

    assert view(None) == "done" and seen == [True]
    assert replica._tolerant.get() is False
    assert view.reads_from_replica is True


def test_the_review_list_and_its_csv_read_from_the_replica(client_for, personas, monkeypatch):
    """The §14 review list is marked; a child's page (which may lead to a write) is not."""
    routed: list[tuple[str, bool]] = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        routed.append((model.__name__, replica._tolerant.get()))
        return original(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    kid = make_child(involved=[personas.police])
    client = client_for(personas.police_lead)
    for query in ("", "?format=csv"):
        routed.clear()
        assert client.get(reverse("missing:review") + query).status_code == 200
        assert ("Child", True) in routed or ("Episode", True) in routed
    routed.clear()
    assert client.get(reverse("children:detail", args=[kid.pk])).status_code == 200
    assert routed and not any(tolerant for _, tolerant in routed)

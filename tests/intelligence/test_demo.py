"""The demo region's intelligence chapter: the case-study networks and the alerts they raised."""

import pytest
from django.core.management import call_command

from safeguard.intelligence.models import Alert, Disruption, Entity, Network, NrmReferral


@pytest.fixture(autouse=True)
def _development_mode(settings):
    settings.DEV_MODE = True


def test_demo_has_the_brothers_network_the_hotel_and_the_hot_spot(db):
    call_command("demo-data")
    patterns = {(a.pattern, a.entity.key if a.entity else None) for a in Alert.objects.select_related("entity")}
    assert ("shared_entity", "+447700900321") in patterns  # Ryan's phone: Chloe and Megan
    assert ("shared_entity", "KX19WKA") in patterns  # Jay's Audi: Kayleigh and Jade
    assert any(p == "hot_spot" and key.startswith("NB1 1RS") for p, key in patterns if key)
    listed = Network.objects.filter(merged_into__isnull=True, listed_at__isnull=False)
    assert any(n.children >= 4 for n in listed)
    assert NrmReferral.objects.get(child__first_name="Ruby").reasonable_grounds == "positive"
    assert set(Disruption.objects.values_list("action", flat=True)) == {"cawn_served", "licensing_visit"}
    # The browser journey's car is left for the journey to record.
    assert not Entity.objects.filter(key="AB12CDE").exists()
    assert Alert.objects.get(pattern="shared_entity", entity__key="KX19WKA").actions.exists()

"""Put the disposal exception back on the signed-decision guard.

Adding the ``version`` column (referrals 0006) rebuilds ``referrals_decisionrecord`` on SQLite and
re-creates the referrals app's own triggers, which know nothing of disposal; this runs the guard of
records 0002 again after it, on both databases, so disposal may delete a signed decision and
nothing else may.
"""

from django.db import migrations

from safeguard.records.migrations import _guard


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_disposal_may_delete_signed_decisions"),
        ("referrals", "0007_merge_0006_keyset_indexes_0006_record_version"),
    ]
    operations = [migrations.RunPython(_guard.forwards, _guard.backwards, elidable=False)]

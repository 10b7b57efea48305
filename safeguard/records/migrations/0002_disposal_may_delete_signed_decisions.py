"""Disposal may delete a child's signed decision records; nothing else may (ADR 19).

The referrals app's triggers (referrals 0003) refuse any change to a signed decision record. They
are replaced with the same triggers plus one exception: a DELETE while a ``records_disposalpermit``
row names the decision's child. The disposal service creates that row inside its transaction and
removes it before the transaction commits, so outside a disposal the guard is exactly as before.
UPDATE stays refused in every case.
"""

from django.db import migrations

from safeguard.records.migrations import _guard


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("referrals", "0003_signed_decisions_are_immutable"),
    ]
    operations = [migrations.RunPython(_guard.forwards, _guard.backwards, elidable=False)]

# Issue 11 item 12: a decision record carries a version. SQLite adds the column by rebuilding the
# table, which drops its triggers: the signed-record guard of 0003 is put back on SQLite.

from django.db import migrations, models


def guard_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from importlib import import_module

    guard = import_module("safeguard.referrals.migrations.0003_signed_decisions_are_immutable")
    for sql in guard.SQLITE_DROP + guard.SQLITE_CREATE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0005_merge_20261201_0307'),
    ]

    operations = [
        migrations.AddField(
            model_name='decisionrecord',
            name='version',
            field=models.PositiveIntegerField(db_default=1, default=1, help_text='Raised by one at every saved edit'),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop, elidable=False),
    ]

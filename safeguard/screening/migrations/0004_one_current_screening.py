# Issue 11 item 13: one current screening per child, kept by a partial unique index.

from django.db import migrations, models


def supersede_all_but_the_newest(apps, schema_editor):
    """Before the index: where a race left several current screenings for one child, the newest
    stays current and supersedes the others (as the product would have done one at a time)."""
    Screening = apps.get_model("screening", "Screening")
    current = Screening.objects.filter(superseded_by__isnull=True).order_by("child_id", "-submitted_at", "-id")
    newest: dict[int, int] = {}
    for pk, child_id in current.values_list("pk", "child_id").iterator():
        if child_id in newest:
            Screening.objects.filter(pk=pk).update(superseded_by=newest[child_id])
        else:
            newest[child_id] = pk


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0003_screening_review_alerted'),
    ]

    operations = [
        migrations.RunPython(supersede_all_but_the_newest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='screening',
            constraint=models.UniqueConstraint(condition=models.Q(('superseded_by__isnull', True)), fields=('child',), name='screening_one_current_per_child'),
        ),
    ]

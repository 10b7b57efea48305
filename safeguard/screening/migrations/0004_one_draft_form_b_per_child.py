"""One open draft Form B per child (issue 10 item 3). A second screening needing Form B now joins
the open draft (``Screening.joined_form_b``). Drafts opened twice before this are folded: the oldest
stays the open draft, each later one is marked "joined" (kept and readable with its contributions and
safety plan, never deleted) and its screenings point to the open draft."""

import django.db.models.deletion
from django.db import migrations, models


def fold_duplicate_drafts(apps, schema_editor):
    FormB = apps.get_model("screening", "FormB")
    Screening = apps.get_model("screening", "Screening")
    children = (
        FormB.objects.filter(status="draft").values("child_id").annotate(n=models.Count("id")).filter(n__gt=1)
        .values_list("child_id", flat=True)
    )
    for child_id in list(children):
        kept, *later = FormB.objects.filter(child_id=child_id, status="draft").order_by("created_at", "id")
        for draft in later:
            Screening.objects.filter(form_bs=draft).update(joined_form_b=kept)
            FormB.objects.filter(pk=draft.pk).update(status="joined")


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0003_screening_review_alerted"),
    ]

    operations = [
        migrations.AddField(
            model_name="screening",
            name="joined_form_b",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="joined_screenings", to="screening.formb"),
        ),
        migrations.AlterField(
            model_name="formb",
            name="status",
            field=models.CharField(choices=[("draft", "Draft"), ("complete", "Complete"),
                                            ("joined", "Joined the child's open draft")],
                                   default="draft", max_length=10),
        ),
        migrations.RunPython(fold_duplicate_drafts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="formb",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "draft")), fields=("child",),
                                               name="form_b_one_draft_per_child"),
        ),
    ]

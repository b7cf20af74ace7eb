"""One bed per person across all their cases, 1/2: the stay keeps its case's person (filled
here; made required and unique among active stays in 0006, in a transaction of its own)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_person(apps, schema_editor):
    Placement = apps.get_model("shelters", "Placement")
    for placement in Placement.objects.select_related("case").only("case__person_id").iterator():
        placement.person_id = placement.case.person_id
        placement.save(update_fields=["person"])
    twice = (
        Placement.objects.filter(status="admitted")
        .values("person_id")
        .annotate(stays=models.Count("pk"))
        .filter(stays__gt=1)
    )
    if twice.exists():
        ids = ", ".join(str(row["person_id"]) for row in twice[:20])
        raise RuntimeError(
            f"Persons with more than one active shelter stay (person ids {ids}): discharge or "
            "transfer all but one of their stays, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_screening_running_index"),
        ("shelters", "0004_care_plan_and_movements"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="person",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="cases.person",
                verbose_name="person",
            ),
        ),
        migrations.RunPython(fill_person, migrations.RunPython.noop),
    ]

"""One bed per person across all their cases, 2/2: the database refuses a second active stay
of the same person (the rule per case it replaces is the same rule for a person's one case)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shelters", "0005_placement_person"),
    ]

    operations = [
        migrations.AlterField(
            model_name="placement",
            name="person",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="cases.person",
                verbose_name="person",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="placement",
            name="one_active_placement_per_case",
        ),
        migrations.AddConstraint(
            model_name="placement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "admitted")),
                fields=("person",),
                name="one_active_placement_per_person",
            ),
        ),
    ]

"""Load the six shelters with their sections and seeded bed numbers (not published figures:
each director corrects them)."""

from django.db import migrations

from accounts import reference_data as ref


def load(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Shelter = apps.get_model("shelters", "Shelter")
    ShelterUnit = apps.get_model("shelters", "ShelterUnit")
    for slug, _th, _en, _province, target_group, units in ref.SHELTERS:
        shelter, _ = Shelter.objects.update_or_create(
            organisation=Organisation.objects.get(code=f"shelter-{slug}"),
            defaults={"target_group": target_group},
        )
        for section, capacity in units:
            ShelterUnit.objects.get_or_create(
                shelter=shelter, section=section, defaults={"capacity": capacity}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reference_data"),
        ("shelters", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

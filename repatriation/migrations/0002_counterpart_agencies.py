"""The counterpart agencies of repatriation/reference_data.py."""

from django.db import migrations

from repatriation.reference_data import COUNTERPARTS


def load(apps, schema_editor):
    CounterpartAgency = apps.get_model("repatriation", "CounterpartAgency")
    for code, country, name_th, name_en, arrangement_th, arrangement_en in COUNTERPARTS:
        CounterpartAgency.objects.get_or_create(
            code=code,
            defaults={
                "country": country,
                "name_th": name_th,
                "name_en": name_en,
                "arrangement_th": arrangement_th,
                "arrangement_en": arrangement_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("repatriation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

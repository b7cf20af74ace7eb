"""Load the provinces and the organisations of the NRM, so that a fresh database is usable at
once. A sysadmin keeps them current in the admin afterwards."""

from django.db import migrations

from accounts import reference_data as ref


def load(apps, schema_editor):
    Province = apps.get_model("accounts", "Province")
    Organisation = apps.get_model("accounts", "Organisation")

    provinces = {}
    for code, name_th, name_en, region in ref.PROVINCES:
        provinces[code], _ = Province.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "region": region}
        )

    def organisation(code, kind, name_th, name_en, province_code):
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_th": name_th,
                "name_en": name_en,
                "province": provinces[province_code],
            },
        )

    organisation("central", "central", *ref.CENTRAL_DIVISION, "10")
    for code, name_th, name_en, _region in ref.PROVINCES:
        # Bangkok's office is not a "จังหวัด" (province) office in its Thai name.
        office_th = (
            ref.PROVINCIAL_OFFICE_NAME_TH.format(province=name_th)
            if code != "10"
            else f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์{name_th}"
        )
        office_en = ref.PROVINCIAL_OFFICE_NAME_EN.format(province=name_en)
        organisation(f"pso-{code}", "provincial_office", office_th, office_en, code)
    for number, name_th, name_en, seat in ref.REGIONAL_OFFICES:
        organisation(f"rso-{number}", "regional_office", name_th, name_en, seat)
    for slug, name_th, name_en, province_code, _group, _units in ref.SHELTERS:
        organisation(f"shelter-{slug}", "shelter", name_th, name_en, province_code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

import re

from django.db import migrations, models

import cases.validators

# Chinese, Japanese and Korean letters, which cases.names now romanises: the persons whose
# names hold them get their name key again (it left those names out before).
CJK = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"


def rekey_cjk_names(apps, schema_editor):
    from cases.names import name_key

    Person = apps.get_model("cases", "Person")
    maybe = (
        models.Q(name_th__regex=CJK)
        | models.Q(name_latin__regex=CJK)
        | models.Q(name_native__regex=CJK)
        | ~models.Q(aliases=[])
    )
    for person in Person.objects.filter(maybe).iterator(chunk_size=500):
        names = (person.name_th, person.name_latin, person.name_native, *person.aliases)
        if any(re.search(CJK, name) for name in names):
            person.name_key = name_key(*names)
            person.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_intake_importing_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=20,
                validators=[cases.validators.validate_phone],
                verbose_name="phone number",
            ),
        ),
        migrations.RunPython(rekey_cjk_names, migrations.RunPython.noop),
    ]

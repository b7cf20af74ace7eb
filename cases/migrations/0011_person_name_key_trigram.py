"""A trigram index on Person.name_key (PostgreSQL): the duplicate finder's LIKE '%word%' filters
then read the index instead of every person (a 1,000-row intake against 200,000 persons). SQLite
has no such index and keeps scanning, which is fine at its sizes."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "person_name_key_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person USING gin (name_key gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_awaiting_mdt")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

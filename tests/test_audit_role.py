"""The application's database role cannot rewrite the audit log (issue 24): it may read and
add to it, and read and write the other tables, but not update, delete, truncate or disable
the trigger of the audit log; the tables' owner runs the migrations and the grant."""

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEvent
from tests.factories import register_case


@pytest.fixture
def app_role(db):
    name = f"nrm_app_{connection.settings_dict['NAME']}"[:60]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_only_reads_and_adds_to_the_audit_log(app_role, worker_chiangmai):
    assert connection.vendor == "postgresql"
    case = register_case(worker_chiangmai)
    call_command("grant_app_role", app_role, stdout=io.StringIO())
    assert AuditEvent._meta.db_table == "audit_auditevent"
    with connect_as(app_role) as app:
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] > 0
        app.execute("UPDATE cases_case SET risk_level = risk_level WHERE id = %s", [case.pk])
        app.execute(
            "INSERT INTO audit_auditevent (created_at, action, username, object_id, changes)"
            " VALUES (now(), 'view', 'x', '1', '{}')"
        )
        for statement in (
            "TRUNCATE audit_auditevent",
            "DELETE FROM audit_auditevent",
            "UPDATE audit_auditevent SET username = 'nobody'",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
            "DROP TABLE audit_auditevent",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)

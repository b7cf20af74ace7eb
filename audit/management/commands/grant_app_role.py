"""Give the application's own PostgreSQL role what it needs, and no more: the tables' rows
(read, add, change, remove), except the audit log, which it may only read and add to.

Run by the owner of the tables after every `migrate` (docker-compose's migrate service does):
the web, worker and beat processes then connect as ROLE, which owns nothing, so that it cannot
TRUNCATE the audit log, disable its append-only trigger or change any table (docs/DEPLOY.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Grant the application's database ROLE row access, the audit log insert-only."

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's: nothing to grant on this database.")
        audit = AuditEvent._meta.db_table
        statements = [
            "GRANT USAGE ON SCHEMA public TO {role}",
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {role}",
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role!r}: create it first (docs/DEPLOY.md).")
            for statement in statements:
                cursor.execute(
                    sql.SQL(statement).format(
                        role=sql.Identifier(role), audit=sql.Identifier(audit)
                    )
                )
        self.stdout.write(f"{role}: rows of every table; {audit}: read and insert only.")

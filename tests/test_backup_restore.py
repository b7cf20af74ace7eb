"""A backup is proven by restoring it: deploy/backup.sh dumps the database and copies the
documents; deploy/restore.sh puts them into an empty database and media folder, where every
case, document (byte for byte) and audit event is found intact, the audit log still refuses
changes, and the restored system counts on from where it was. A damaged backup, or a database
that is not empty, is refused before anything is written."""

import hashlib
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case, CaseDocument
from tests.factories import register_case, screening_in_state

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every row of these, compared between the original and the restored database.
TABLES = [
    "cases_person",
    "cases_case",
    "cases_screening",
    "cases_casedocument",
    "cases_caseevent",
    "audit_auditevent",
    "sla_deadline",
    "accounts_user",
]


def database_url(name: str) -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + name))


@pytest.fixture
def empty_database():
    """An empty database beside the test database (DATABASE_URL's name + _restore)."""
    name = connection.settings_dict["NAME"] + "_restore"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, env):
    return subprocess.run(
        [str(ROOT / "deploy" / script), *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def rows(url: str, table: str) -> tuple[int, str]:
    with psycopg.connect(url) as db:
        return db.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"  # noqa: S608
            f" FROM {table} t"
        ).fetchone()


@pytest.fixture
def a_working_system(worker_chiangmai, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    documents = {}
    for n in range(3):
        case = register_case(worker_chiangmai, name_th=f"ผู้เสียหาย {n}", estimated_age=20 + n)
        screening_in_state(worker_chiangmai, "open", case=case)
        content = f"%PDF-1.4 หลักฐาน {n}".encode() * 200
        document = cases.case_document_add(
            case=case,
            actor=worker_chiangmai,
            uploaded_file=SimpleUploadedFile(f"{n}.pdf", content, content_type="application/pdf"),
        )
        documents[document.pk] = hashlib.sha256(content).hexdigest()
    assert Case.objects.count() == 3 and AuditEvent.objects.count() >= 9
    return documents


def test_a_backup_restores_into_an_empty_database_intact(
    a_working_system, empty_database, settings, tmp_path
):
    source = database_url(connection.settings_dict["NAME"])
    made = run(
        "backup.sh",
        tmp_path / "backups",
        env={"DATABASE_URL": source, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} >= {"database.dump", "documents.tar", "SHA256SUMS"}
    assert oct(backup.stat().st_mode & 0o777) == "0o700"

    restored_media = tmp_path / "restored-media"
    restored = run(
        "restore.sh",
        backup,
        env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(restored_media)},
    )
    assert restored.returncode == 0, restored.stderr

    for table in TABLES:
        count, digest = rows(empty_database, table)
        assert count > 0, table
        assert (count, digest) == rows(source, table), f"{table} differs after the restore"
    with psycopg.connect(empty_database) as db:
        names = dict(db.execute("SELECT id, file FROM cases_casedocument").fetchall())
        assert set(names) == set(a_working_system)
        for pk, checksum in a_working_system.items():
            content = (restored_media / names[pk]).read_bytes()
            assert hashlib.sha256(content).hexdigest() == checksum
        # The audit log is still append-only in the restored database (its trigger came along).
        with pytest.raises(psycopg.errors.RaiseException):
            db.execute("UPDATE audit_auditevent SET action = 'view'")
        db.rollback()
        # New rows continue the sequences instead of colliding with restored ones.
        last = db.execute("SELECT max(id) FROM audit_auditevent").fetchone()[0]
        following = db.execute(
            "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))"
        ).fetchone()[0]
        assert following > last


def test_a_damaged_backup_or_a_database_in_use_is_refused(
    a_working_system, empty_database, settings, tmp_path
):
    source = database_url(connection.settings_dict["NAME"])
    made = run(
        "backup.sh",
        tmp_path / "backups",
        env={"DATABASE_URL": source, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    )
    backup = Path(made.stdout.strip().splitlines()[-1])

    into_the_live_database = run(
        "restore.sh", backup, env={"DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "m")}
    )
    assert into_the_live_database.returncode != 0
    assert "restore only into an empty database" in into_the_live_database.stderr
    assert CaseDocument.objects.count() == 3

    archive = backup / "documents.tar"
    damaged = bytearray(archive.read_bytes())
    damaged[2000] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    refused = run(
        "restore.sh",
        backup,
        env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "m")},
    )
    assert refused.returncode != 0
    assert "damaged" in refused.stderr
    with psycopg.connect(empty_database) as db:
        tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone()[0] == 0  # nothing was restored

"""Production settings refuse an insecure start and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each test starts manage.py as a subprocess (bin/test also runs check --deploy itself).
pytestmark = pytest.mark.integration


def run_django(tmp_path, *args, **env_overrides):
    # A deployment has none of the test run's own variables (the browser tests allow the ORM
    # beside Playwright's event loop, which the deployment checklist rightly refuses).
    test_only = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(NRM_VAR_DIR=str(tmp_path), ALLOWED_HOSTS="nrm.example.org", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret",
    [None, "", "short", "django-insecure-" + "x" * 60, "a" * 64],
    ids=["missing", "empty", "short", "django-insecure", "one-character"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret):
    env = {"DEBUG": "0"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = run_django(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist_with_no_warning(tmp_path):
    result = run_django(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    result = run_django(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.stdout.split()[-2:] == ["False", "True"], result.stderr


def test_behind_pgbouncer_in_transaction_mode_no_server_side_cursor_or_prepared_statement(
    tmp_path,
):
    """PgBouncer in transaction mode gives a server connection for one transaction only: a
    named cursor or a prepared statement would land on another client's connection."""
    script = (
        "from django.conf import settings; d = settings.DATABASES;"
        "print(d['default']['DISABLE_SERVER_SIDE_CURSORS'],"
        " d['default']['OPTIONS'], d['replica']['DISABLE_SERVER_SIDE_CURSORS'],"
        " d['replica']['TEST']['MIRROR'], settings.DATABASE_ROUTERS)"
    )
    database = os.environ.get("DATABASE_URL", "postgres://nrm@127.0.0.1:5432/nrm")
    result = run_django(
        tmp_path,
        "shell",
        "-c",
        script,
        DEBUG="1",
        DATABASE_URL=database,
        DATABASE_PGBOUNCER="1",
        DATABASE_REPLICA_URL=database.rsplit("/", 1)[0] + "/replica",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "True {'prepare_threshold': None} True default ['core.db_router.ReplicaRouter']"
    )

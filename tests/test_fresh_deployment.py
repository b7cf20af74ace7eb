"""A deployment that runs only `manage.py migrate` on an empty database serves every page:
every table the app needs (the database cache's included, when there is no Redis) comes with
the migrations. Each demo user follows the links of their pages (tests/fresh_site.py, in a
subprocess with the fresh database and no Redis) and no page answers with a server error."""

import json
import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.integration]

# Pages that only a database with its cache table, reference data and demo cases can show.
MUST_REACH = {
    "home",
    "cases:list",
    "cases:detail",
    "cases:person",
    "cases:screening",
    "referrals:detail",
    "referrals:home",
    "shelters:resident",
    "shelters:national",
    "reports:dashboard",
    "reports:annual",
    "audit:search",
    "sla:board",
    "sla:holidays",
    "accounts:sysadmin_home",
    "api:dashboard",
    "api:case-list",
}


@contextmanager
def fresh_postgresql_database():
    """DATABASE_URL's server, with an empty database named after it (nrm -> nrm_fresh)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + "_fresh"
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(url._replace(path="/" + name))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, environment):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_migrate_only_deployment_serves_every_page(engine, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    (tmp_path / "var").mkdir()
    environment.update(DEBUG="1", NRM_REQUIRE_MFA="0", NRM_VAR_DIR=str(tmp_path / "var"))
    with ExitStack() as stack:
        if engine == "postgresql":
            environment["DATABASE_URL"] = stack.enter_context(fresh_postgresql_database())
        report, stderr = migrate_and_open_every_page(environment)
    assert report["errors"] == [], stderr
    assert set(report["reached"]) >= MUST_REACH, MUST_REACH - set(report["reached"])
    assert len(report["opened"]) > 150


def migrate_and_open_every_page(environment):
    migrate = run(["manage.py", "migrate", "--noinput", "-v", "0"], environment)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    # Nothing else: no createcachetable, no loaddata. Then every page, as every demo user.
    crawl = run(["-m", "tests.fresh_site"], environment)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    return json.loads(crawl.stdout.strip().splitlines()[-1]), crawl.stderr[-3000:]

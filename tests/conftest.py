"""Personas (healthchecks' alice/bob idea): one per role, in named offices, built on the
reference data that the migrations load."""

import os
import shutil

import pytest

from accounts.models import Role
from tests.factories import member
from tests.shared_data import FAST_HASHERS

PASSWORD = "correct-horse-battery"

# The ORM is called from the tests while Playwright's event loop runs, and the loop runs on for
# the rest of the session, so on an xdist worker for every test it runs after a browser test
# (tests only; tests/test_settings.py keeps it out of its checks).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: the real hasher costs half a second per user."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


_REFERENCE_DATA: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and a snapshot of the reference data the migrations
    loaded (offices, shelters, clocks), taken as soon as the database exists, before any
    transactional test flushes it."""
    from django.db import connection

    with django_db_blocker.unblock():
        _REFERENCE_DATA["snapshot"] = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def reference_data_snapshot(django_db_setup) -> str:
    """The reference data as the migrations loaded it (the browser journeys put it back
    themselves: tests/test_journeys.py)."""
    return _REFERENCE_DATA["snapshot"]


@pytest.fixture(autouse=True)
def reference_data_back(request):
    """A transactional test starts with the reference data (offices, shelters, clocks) the
    migrations load, whatever the test before it on this worker left. Django's serialized
    rollback puts it back only from the copy on the connection it finds, and after the backup
    test (tests/test_backup_restore.py) the next serialized test on its worker found no
    offices at all; the browser journeys had always needed this (tests/test_journeys.py)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import Organisation

    if not Organisation.objects.exists():
        # A flush let post_migrate make content types and permissions anew, numbered
        # differently from the snapshot: the snapshot's own replace them.
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(
            request.getfixturevalue("reference_data_snapshot")
        )


@pytest.fixture(autouse=True)
def redis_not_paused():
    """A test that made Redis fail (core.cache, core.queueing pause it for a while) must not
    leave the next test without its cache or its queue."""
    from core import cache, queueing

    yield
    cache._down_until[0] = queueing._down_until[0] = 0.0


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty Redis cache (figures kept by an earlier test would not
    match this test's data). A database cache needs nothing: it rolls back with the test."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """Personas sign in with force_login; the two-factor tests turn the requirement on."""
    settings.NRM_REQUIRE_MFA = False


@pytest.fixture
def prepared_file(settings, tmp_path, django_capture_on_commit_callbacks):
    """`prepared_file(client, url, **query)`: a file prepared in the background (a report's,
    or a long list's in Excel) asked as its page's button asks (a POST), the worker's task
    run at once in this process, then downloaded from its job: the download's response."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from exports.models import ExportJob

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"

    def ask(client, url: str, **query):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(f"{url}?{urlencode(query, doseq=True)}")
        assert asked.status_code == 302, asked
        job = ExportJob.objects.filter(requested_by=asked.wsgi_request.user).first()
        assert asked["Location"] == job.get_absolute_url()
        assert job.status == ExportJob.Status.READY, job.failure_message
        return client.get(reverse("exports:download", args=[job.pk]))

    return ask


@pytest.fixture
def worker_chiangmai(db):
    return member(Role.SOCIAL_WORKER, "pso-50", "somsri")


@pytest.fixture
def worker_tak(db):
    return member(Role.SOCIAL_WORKER, "pso-63", "prasert")


@pytest.fixture
def supervisor_chiangmai(db):
    return member(Role.SUPERVISOR, "pso-50", "arunee")


@pytest.fixture
def director_kredtrakarn(db):
    return member(Role.SHELTER_DIRECTOR, "shelter-kredtrakarn", "malee")


@pytest.fixture
def staff_kredtrakarn(db):
    return member(Role.SHELTER_STAFF, "shelter-kredtrakarn", "janpen")


@pytest.fixture
def central_reviewer(db):
    return member(Role.CENTRAL_REVIEWER, "central", "thanaporn")


@pytest.fixture
def sysadmin(db):
    return member(Role.SYSADMIN, "central", "itadmin")


@pytest.fixture
def data_protection_officer(db):
    return member(Role.DATA_PROTECTION_OFFICER, "central", "pimchanok")


@pytest.fixture
def regional_officer(db):
    """Of the regional office 9 (Chiang Mai), which covers Chiang Mai and Tak."""
    return member(Role.REGIONAL_OFFICER, "rso-9", "wanna")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser on these machines
    (bin/test stops at once, with the command to install it, when it is missing)."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """An office PC: English browser (the app must still open in Thai), a laptop screen."""
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}

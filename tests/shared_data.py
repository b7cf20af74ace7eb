"""Data built once for a class of tests that read it: costly data sets (the demo, the load
generator's) that each test used to build again for itself."""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py's


@contextmanager
def built_once(django_db_blocker, **settings):
    """Open a transaction for a class-scoped fixture to build its data in, and roll it back
    after the class. Each test's own transaction (pytest-django's `db`) nests in it as a
    savepoint, so what a test changes is undone before the next, and the data stays as built."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, **settings),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)

"""Sessions end after 30 idle minutes; using the system keeps them alive, but the session row
is written at most once a minute, not on every request (docs/PERFORMANCE.md)."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import middleware

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_refreshed_once_a_minute(client, worker_chiangmai, monkeypatch):
    clock = [1_800_000_000]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(worker_chiangmai)
    assert client.get(reverse("cases:home")).status_code == 200
    first = expiry(client)

    clock[0] += 30
    assert client.get(reverse("cases:home")).status_code == 200
    assert expiry(client) == first  # half a minute later: not written

    clock[0] += 31
    assert client.get(reverse("cases:home")).status_code == 200
    assert expiry(client) > first  # a minute later: the idle expiry moves on


def test_a_request_writes_no_session_row_within_the_minute(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    assert client.get(reverse("cases:home")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:home")).status_code == 200
    assert not [
        q
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and (q["sql"].startswith("UPDATE") or q["sql"].startswith("INSERT"))
    ]

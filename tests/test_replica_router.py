"""Dashboards, statistics and exports read from the read replica, and nothing else does; a read
that follows the same request's write goes to the primary.

The "replica" here is a second connection to the test database: it sees only committed rows,
while the test's own rows are uncommitted, so it behaves like a replica that has not caught up
yet, and a page that read from it shows it."""

import pytest
from django.db import connections

from cases.models import Case, CaseNote
from core.db_router import REPLICA, ReplicaRouter, _window
from tests.factories import register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}
    # A connection of its own to the test database, made here rather than declared in the
    # settings (which the test database's set-up has already read).
    default = connections["default"]
    second = type(default)(dict(default.settings_dict), REPLICA)
    connections[REPLICA] = second
    settings.ROOT_URLCONF = "tests.replica_urls"
    settings.NRM_REPLICA_VIEWS = ["stats_*", "reports:*"]
    yield second
    second.close()
    del connections[REPLICA]


def test_a_dashboard_reads_from_the_replica(client, replica, central_reviewer, worker_chiangmai):
    register_case(worker_chiangmai)  # on the primary; the replica has not caught up
    client.force_login(central_reviewer)  # the session and the user: always the primary
    response = client.get("/stats/cases/")
    assert response.status_code == 200
    assert response.json() == {"cases": 0}  # what the replica has
    assert Case.objects.count() == 1  # what the primary has


def test_a_read_after_the_requests_own_write_goes_to_the_primary(
    client, replica, central_reviewer, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    client.force_login(central_reviewer)
    response = client.get(f"/stats/note-then-count/?case={case.pk}")
    # The note was written a moment ago in this request: the count must include it, so it
    # cannot have come from the replica (which has neither the case nor the note).
    assert response.json() == {"notes": 1}
    assert CaseNote.objects.count() == 1


def test_other_pages_read_the_primary(client, replica, worker_chiangmai):
    register_case(worker_chiangmai, name_th="อยู่บนฐานหลัก")
    client.force_login(worker_chiangmai)
    response = client.get("/cases/")
    assert response.status_code == 200
    assert "อยู่บนฐานหลัก" in response.content.decode()


def test_who_may_see_what_is_never_read_from_the_replica(replica):
    from cases.models import AccessGrant
    from notifications.models import Notification

    router = ReplicaRouter()
    token = _window.set({"wrote": False})
    try:
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_read(AccessGrant) is None  # a revoked grant must stop at once
        assert router.db_for_read(Notification) is None  # not a figures app
        from accounts.models import User

        assert router.db_for_read(User) is None
        from audit.models import AuditEvent

        router.db_for_write(AuditEvent)  # an export's own audit line does not pin
        assert router.db_for_read(Case) == REPLICA
        router.db_for_write(CaseNote)
        assert router.db_for_read(Case) is None
    finally:
        _window.reset(token)
    assert router.db_for_read(Case) is None  # outside an allowed view
    assert router.allow_migrate(REPLICA, "cases") is False


def test_without_a_replica_everything_reads_the_primary(client, central_reviewer, settings):
    assert REPLICA not in settings.DATABASES
    token = _window.set({"wrote": False})
    try:
        assert ReplicaRouter().db_for_read(Case) is None
    finally:
        _window.reset(token)
    client.force_login(central_reviewer)
    assert client.get("/reports/").status_code == 200


def test_a_window_left_open_by_a_response_never_closed_does_not_reach_the_next_request(
    client, replica, worker_chiangmai
):
    register_case(worker_chiangmai, name_th="อยู่บนฐานหลัก")
    client.force_login(worker_chiangmai)
    _window.set({"wrote": False})  # a dashboard request on this thread whose client went away
    page = client.get("/cases/")
    assert "อยู่บนฐานหลัก" in page.content.decode()  # read from the primary

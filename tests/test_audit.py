"""The audit log only grows: neither the ORM nor raw SQL can change or remove an entry."""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(worker_chiangmai):
    return audit_record(action=AuditEvent.Action.VIEW, actor=worker_chiangmai)


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(event):
    event.action = AuditEvent.Action.CREATE
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET username = 'someone-else'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(event, statement):
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).username == event.username


def test_a_new_entry_records_who_and_what(event, worker_chiangmai):
    assert event.username == worker_chiangmai.username
    assert event.created_at is not None


def test_a_persons_page_shows_who_has_looked_at_it(client, worker_chiangmai, central_reviewer):
    from django.urls import reverse

    from tests.factories import register_case

    case = register_case(worker_chiangmai)
    client.force_login(central_reviewer)
    assert client.get(case.get_absolute_url()).status_code == 200
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:person", args=[case.person_id]))
    assert page.status_code == 200
    viewers = [event.username for event in page.context["viewers"]]
    assert viewers[:2] == [worker_chiangmai.username, central_reviewer.username]


def test_the_central_division_searches_the_audit_log(client, worker_chiangmai, central_reviewer):
    from django.urls import reverse

    from tests.factories import register_case

    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    assert client.get(case.get_absolute_url()).status_code == 200
    client.force_login(central_reviewer)
    found = client.get(
        reverse("audit:search"), {"username": worker_chiangmai.username, "action": "view"}
    )
    assert found.status_code == 200
    events = [event for event, _cells in found.context["rows"]]
    assert [event.object_id for event in events] == [str(case.pk)]
    assert events[0].ip_address == "127.0.0.1"
    client.force_login(worker_chiangmai)
    assert client.get(reverse("audit:search")).status_code == 403


@pytest.mark.parametrize("kind", ["persons", "cases", "screenings"])
def test_reading_a_record_through_the_api_is_audited(kind, worker_chiangmai):
    from django.utils import timezone
    from rest_framework.test import APIClient

    from cases.services import screening_start
    from tests.factories import register_case

    case = register_case(worker_chiangmai)
    screening = screening_start(
        case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now()
    )
    record = {"persons": case.person, "cases": case, "screenings": screening}[kind]
    client = APIClient()
    client.force_authenticate(worker_chiangmai)
    assert client.get(f"/api/v1/{kind}/{record.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        action="view", object_id=str(record.pk), actor=worker_chiangmai
    ).exists()


def test_an_event_is_stored_as_given_and_returned_with_its_id(worker_chiangmai):
    """audit_record writes its INSERT itself (audit.services._append): every column arrives."""
    case = case_in_state(worker_chiangmai)
    event = audit_record(
        action=AuditEvent.Action.LIST,
        actor=worker_chiangmai,
        obj=case,
        changes={"list": "cases", "ids": [1, 2], "query": {"q": "สมชาย"}},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.username, stored.action) == (
        worker_chiangmai,
        worker_chiangmai.username,
        AuditEvent.Action.LIST,
    )
    assert (stored.object_type.model, stored.object_id) == ("case", str(case.pk))
    assert stored.changes == {"list": "cases", "ids": [1, 2], "query": {"q": "สมชาย"}}
    assert stored.created_at == event.created_at is not None
    assert not event._state.adding

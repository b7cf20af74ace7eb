"""The deadline sweep: a reminder before, the breach at the deadline, then two escalation
levels; idempotent, and reading only what is due. Time travels by the sweep's `now`."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from cases import services as cases
from notifications.models import Notification
from sla.models import ClockPolicy, Deadline
from sla.services import deadline_close
from sla.sweep import sweep
from tests.factories import register_case, screening_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening(worker_chiangmai, supervisor_chiangmai, central_reviewer):
    return screening_in_state(
        worker_chiangmai, "open", custody_started_at=timezone.now() - dt.timedelta(hours=19)
    )


def clock(screening):
    return Deadline.objects.get(object_id=screening.pk, clock="identification")


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_the_reminder_comes_at_18_hours(screening, worker_chiangmai, supervisor_chiangmai):
    deadline = clock(screening)
    assert deadline.remind_at == deadline.due_at - dt.timedelta(hours=6)
    assert sweep(now=deadline.remind_at - dt.timedelta(minutes=1)) == {}
    assert sweep(now=deadline.remind_at + dt.timedelta(minutes=1)) == {"reminded": 1}
    assert [m for m in inbox(worker_chiangmai) if "เตือน" in m]
    assert [m for m in inbox(supervisor_chiangmai) if screening.case.number in m]
    deadline.refresh_from_db()
    assert deadline.reminded_at and deadline.next_action_at == deadline.due_at


def test_breach_then_two_escalation_levels(
    screening, worker_chiangmai, supervisor_chiangmai, central_reviewer
):
    due = clock(screening).due_at
    sweep(now=due - dt.timedelta(hours=1))
    assert sweep(now=due + dt.timedelta(minutes=1)) == {"breached": 1}
    deadline = clock(screening)
    assert (deadline.state, deadline.escalation_level) == ("breached", 1)
    assert [m for m in inbox(supervisor_chiangmai) if "ยกระดับ" in m]
    assert not inbox(central_reviewer)
    # The second level, to the central division, a day later (the rule's default).
    assert sweep(now=due + dt.timedelta(hours=23)) == {}
    assert sweep(now=due + dt.timedelta(hours=24, minutes=1)) == {"escalated": 1}
    assert clock(screening).escalation_level == 2
    assert [m for m in inbox(central_reviewer) if screening.case.number in m]
    assert sweep(now=due + dt.timedelta(days=30)) == {}


def test_a_late_sweep_breaches_without_a_stale_reminder(screening, worker_chiangmai):
    due = clock(screening).due_at
    assert sweep(now=due + dt.timedelta(hours=1)) == {"breached": 1}
    assert not [m for m in inbox(worker_chiangmai) if "เตือน" in m]


def test_running_the_sweep_twice_sends_nothing_twice(screening):
    due = clock(screening).due_at
    sweep(now=due + dt.timedelta(minutes=1))
    count = Notification.objects.count()
    assert sweep(now=due + dt.timedelta(minutes=2)) == {}
    assert Notification.objects.count() == count


def test_a_closed_clock_is_left_alone(screening):
    deadline_close(clock="identification", obj=screening)
    assert clock(screening).next_action_at is None
    assert sweep(now=timezone.now() + dt.timedelta(days=3)) == {}


def test_a_court_extension_moves_the_reminder_and_the_breach(screening, worker_chiangmai):
    later = clock(screening).due_at + dt.timedelta(days=2)
    cases.screening_extend(
        screening_id=screening.pk, actor=worker_chiangmai, until=later, order_reference="x"
    )
    deadline = clock(screening)
    assert deadline.remind_at == later - dt.timedelta(hours=6)
    assert sweep(now=timezone.now() + dt.timedelta(hours=6)) == {}


def test_a_changed_rule_applies_to_new_clocks_only(screening, worker_chiangmai):
    ClockPolicy.objects.filter(clock="identification").update(due_after=12)
    assert clock(screening).due_at - screening.custody_started_at == dt.timedelta(hours=24)
    other = register_case(worker_chiangmai, name_th="มานี")
    started = timezone.now()
    fresh = cases.screening_start(
        case_id=other.pk, actor=worker_chiangmai, custody_started_at=started
    )
    assert fresh.deadline_at == started + dt.timedelta(hours=12)


def test_a_permit_expiry_is_a_clock_of_the_owning_office(worker_chiangmai):
    case = register_case(worker_chiangmai, name_latin="Aung Aung", nationality="MM")
    expires = timezone.localdate() + dt.timedelta(days=60)
    permit = cases.permit_record(
        case=case,
        actor=worker_chiangmai,
        reference="ตม. 123/2569",
        issued_on=timezone.localdate(),
        expires_on=expires,
    )
    deadline = Deadline.objects.get(clock="permit_expiry", object_id=permit.pk)
    assert deadline.organisation == case.owner
    assert deadline.remind_at.date() == expires - dt.timedelta(days=30)
    renewal = cases.permit_record(
        case=case,
        actor=worker_chiangmai,
        reference="ตม. 456/2569",
        issued_on=expires,
        expires_on=expires + dt.timedelta(days=365),
    )
    deadline.refresh_from_db()
    assert deadline.state == "met"
    assert Deadline.objects.get(clock="permit_expiry", object_id=renewal.pk).state == "pending"


def test_the_sweep_reads_only_what_is_due(worker_chiangmai, central_reviewer):
    def queries_for_one_due():
        with CaptureQueriesContext(connection) as captured:
            sweep(now=timezone.now())
        return len(captured)

    def one_due_screening(name):
        case = register_case(worker_chiangmai, name_th=name)
        return cases.screening_start(
            case_id=case.pk,
            actor=worker_chiangmai,
            custody_started_at=timezone.now() - dt.timedelta(hours=30),
        )

    one_due_screening("หนึ่ง")
    baseline = queries_for_one_due()
    for index in range(5):  # running clocks that are not due yet
        case = register_case(worker_chiangmai, name_th=f"ยัง {index}")
        cases.screening_start(
            case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now()
        )
    one_due_screening("สอง")
    assert queries_for_one_due() == baseline


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_message_once(worker_chiangmai, supervisor_chiangmai):
    assert connection.vendor == "postgresql"
    screening = screening_in_state(
        worker_chiangmai, "open", custody_started_at=timezone.now() - dt.timedelta(hours=30)
    )
    start = threading.Barrier(2)
    results = []

    def run():
        try:
            start.wait()
            results.append(sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.get("breached", 0) for r in results) == 1
    assert (
        Notification.objects.filter(
            recipient=supervisor_chiangmai, message__contains=screening.case.number
        ).count()
        == 1
    )
    assert Organisation.objects.filter(kind="central").exists()  # reference data intact

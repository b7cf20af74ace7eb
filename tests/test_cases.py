"""Registering persons and opening, closing and reopening cases."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from audit.models import AuditEvent
from cases import services
from cases.models import Case, CaseEvent, Person
from cases.validators import thai_id_is_valid
from core.domain import ActionForbidden, TransitionNotAllowed
from tests.factories import referral_in_state, register_case, thai_id

pytestmark = pytest.mark.django_db


def test_thai_id_check_digit():
    assert thai_id_is_valid(thai_id("110170020345"))
    assert not thai_id_is_valid(
        "1101700203450" if thai_id("110170020345")[-1] != "0" else "1101700203451"
    )
    assert not thai_id_is_valid("123")
    assert not thai_id_is_valid("0101700203451")


def test_a_worker_registers_a_person_and_opens_a_numbered_case(worker_chiangmai):
    case = register_case(worker_chiangmai)
    year_be = timezone.localdate().year + 543
    assert case.number == f"NRM-{year_be}-50-000001"
    assert case.owner.code == "pso-50"
    assert case.lead_worker == worker_chiangmai
    assert case.events.get().kind == CaseEvent.Kind.OPENED
    assert AuditEvent.objects.filter(action="create", object_id=str(case.pk)).exists()
    assert register_case(worker_chiangmai, name_th="มานะ ดีใจ").number.endswith("-000002")


def test_case_numbers_are_counted_per_province(worker_chiangmai, worker_tak):
    register_case(worker_chiangmai)
    assert register_case(worker_tak).number.endswith("-63-000001")


def test_an_invalid_thai_id_is_refused_and_nothing_is_saved(worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=worker_chiangmai,
            name_th="สมชาย",
            sex="male",
            documents=[services.DocumentInput(kind="thai_id", number="1234567890123")],
        )
    assert "document_number" in error.value.message_dict
    assert not Person.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=worker_chiangmai,
            name_th="สมชาย",
            sex="male",
            date_of_birth=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "date_of_birth" in error.value.message_dict


def test_a_person_needs_a_name_in_some_script(worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=worker_chiangmai, sex="male")
    assert "name_th" in error.value.message_dict


def test_the_same_document_cannot_be_on_two_persons(worker_chiangmai):
    document = services.DocumentInput(kind="passport", number="MA 123-456", issuing_country="MM")
    services.person_create(
        actor=worker_chiangmai, name_latin="Aung Aung", sex="male", documents=[document]
    )
    with pytest.raises(ValidationError):
        services.person_create(
            actor=worker_chiangmai,
            name_latin="Other",
            sex="male",
            documents=[
                services.DocumentInput(kind="passport", number="ma123456", issuing_country="MM")
            ],
        )
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "is_child"),
    [
        ({"date_of_birth": dt.date(2010, 1, 1)}, True),
        ({"date_of_birth": dt.date(1990, 1, 1)}, False),
        ({"estimated_age": 25, "age_disputed": True}, True),
        ({"estimated_age": 25}, False),
        ({}, True),
    ],
    ids=["under-18", "adult", "disputed", "estimated-adult", "unknown-age"],
)
def test_children_and_persons_of_disputed_or_unknown_age_are_treated_as_children(
    worker_chiangmai, fields, is_child
):
    person = services.person_create(actor=worker_chiangmai, name_th="ทดสอบ", sex="female", **fields)
    assert person.is_child is is_child


def test_a_shelter_director_cannot_register_a_person(director_kredtrakarn):
    with pytest.raises(ActionForbidden):
        services.person_create(actor=director_kredtrakarn, name_th="ทดสอบ", sex="female")


def test_closing_needs_a_reason_and_the_right_person(
    worker_chiangmai, supervisor_chiangmai, worker_tak
):
    case = register_case(worker_chiangmai)
    with pytest.raises(ValidationError):
        services.case_close(case_id=case.pk, actor=worker_chiangmai, reason="  ")
    with pytest.raises(ActionForbidden):
        services.case_close(case_id=case.pk, actor=worker_tak, reason="done")
    closed = services.case_close(case_id=case.pk, actor=supervisor_chiangmai, reason="Reintegrated")
    assert closed.status == "closed"
    with pytest.raises(TransitionNotAllowed):
        services.case_close(case_id=case.pk, actor=worker_chiangmai, reason="again")
    reopened = services.case_reopen(case_id=case.pk, actor=worker_chiangmai, reason="Came back")
    assert reopened.status == "reopened"
    kinds = list(reopened.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["opened", "closed", "reopened"]


def test_a_case_cannot_be_closed_while_a_screening_runs(worker_chiangmai):
    case = register_case(worker_chiangmai)
    services.screening_start(
        case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="การคัดแยก"):
        services.case_close(case_id=case.pk, actor=worker_chiangmai, reason="done")
    assert Case.objects.get(pk=case.pk).status == "open"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_distinct_case_numbers(worker_chiangmai):
    """Eight workers press "register" at the same moment on PostgreSQL."""
    assert connection.vendor == "postgresql"
    person = services.person_create(actor=worker_chiangmai, name_th="ทดสอบ", sex="female")
    start = threading.Barrier(8)
    numbers, errors = [], []

    def register():
        try:
            start.wait()
            case = services.case_open(
                actor=worker_chiangmai,
                person=person,
                intake_channel="walk_in",
                intake_date=dt.date(2026, 11, 1),
                intake_province=worker_chiangmai.membership.organisation.province,
            )
            numbers.append(case.number)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 8
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))


def test_a_case_cannot_be_closed_while_a_referral_is_open(worker_chiangmai):
    case = referral_in_state(worker_chiangmai, "submitted", person={"estimated_age": 30}).case
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.case_close(case_id=case.pk, actor=worker_chiangmai, reason="done")
    assert refused.value.messages == [
        "A referral of this case is still open: it is answered or withdrawn first."
    ]
    assert Case.objects.get(pk=case.pk).status == "open"

"""Registering an operation's persons all at once (cases.services.operation_persons_register, the
mass intake's import): each person gets what registering them one by one gives, or none does."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from audit.models import AuditEvent
from cases import services
from cases.models import Case, CaseEvent, IdentityDocument, Person, Screening
from sla.models import Clock, Deadline
from tests.factories import register_case

pytestmark = pytest.mark.django_db

CUSTODY = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def operation(worker_chiangmai):
    return services.operation_create(
        actor=worker_chiangmai,
        name="Release from a scam compound",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
    )


def registration(name: str = "", *, person=None, custody=CUSTODY, documents=(), **details):
    return services.Registration(
        person=person,
        details={} if person else {"sex": "female", "name_latin": name, **details},
        documents=documents,
        intake_channel="police_raid",
        intake_date=dt.date(2026, 11, 20),
        exploitation_types=["scam_compound", "scam_compound"],
        custody_started_at=custody,
    )


def passport(number: str) -> services.DocumentInput:
    return services.DocumentInput(kind="passport", number=number, issuing_country="MM")


def audited(model, objects) -> set[str]:
    return set(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, object_type=ContentType.objects.get_for_model(model)
        )
        .filter(object_id__in=[str(obj.pk) for obj in objects])
        .values_list("object_id", flat=True)
    )


def test_each_person_gets_the_case_timeline_clock_and_audit_trail_of_a_single_registration(
    worker_chiangmai, operation
):
    earlier = register_case(worker_chiangmai, name_latin="Zaw Min", sex="male")
    known = earlier.person

    cases = services.operation_persons_register(
        actor=worker_chiangmai,
        operation=operation,
        registrations=[
            registration("Mya Thida", documents=[passport("MC1234567")], nationality="MM"),
            registration(person=known),
            registration("Su Su", estimated_age=17),
        ],
    )

    assert [case.person.name_latin for case in cases] == ["Mya Thida", "Zaw Min", "Su Su"]
    assert cases[1].person == known and Person.objects.count() == 3
    sequence = int(earlier.number.rsplit("-", 1)[1])
    assert [case.number.rsplit("-", 1)[1] for case in cases] == [
        f"{sequence + n:06d}" for n in (1, 2, 3)
    ]
    for case in Case.objects.filter(pk__in=[case.pk for case in cases]):
        assert case.operation == operation and case.owner == operation.organisation
        assert case.exploitation_types == ["scam_compound"]
        kinds = list(case.events.order_by("created_at", "pk").values_list("kind", flat=True))
        assert kinds == [CaseEvent.Kind.OPENED, CaseEvent.Kind.SCREENING_STARTED]
    screenings = Screening.objects.filter(case__in=cases)
    assert {s.deadline_at for s in screenings} == {CUSTODY + dt.timedelta(hours=24)}
    clocks = Deadline.objects.filter(clock=Clock.IDENTIFICATION, closed_at__isnull=True)
    assert set(clocks.values_list("object_id", flat=True)) == {s.pk for s in screenings}
    new_persons = [cases[0].person, cases[2].person]
    assert audited(Person, new_persons) == {str(p.pk) for p in new_persons}
    assert audited(Case, cases) == {str(case.pk) for case in cases}
    assert audited(Screening, screenings) == {str(s.pk) for s in screenings}
    assert IdentityDocument.objects.get(number="MC1234567").person == cases[0].person
    assert cases[2].person.age_estimated_on == timezone.localdate()


def test_a_document_on_another_persons_record_refuses_its_registration_and_saves_nothing(
    worker_chiangmai, operation
):
    services.person_create(
        actor=worker_chiangmai, sex="male", name_latin="Zaw Min", documents=[passport("MC7654321")]
    )

    with pytest.raises(services.RegistrationRefused) as refused:
        services.operation_persons_register(
            actor=worker_chiangmai,
            operation=operation,
            registrations=[
                registration("Mya Thida"),
                registration("Khin Aye", documents=[passport("mc 765 4321")]),
            ],
        )

    assert refused.value.index == 1
    assert refused.value.messages == [
        "This document is already on another person's record: link to that person."
    ]
    assert Person.objects.count() == 1 and not Case.objects.exists()


def test_the_same_document_given_twice_refuses_the_second_registration(worker_chiangmai, operation):
    with pytest.raises(services.RegistrationRefused) as refused:
        services.operation_persons_register(
            actor=worker_chiangmai,
            operation=operation,
            registrations=[
                registration("Mya Thida", documents=[passport("MC1111111")]),
                registration("Mya Thidar", documents=[passport("MC1111111")]),
            ],
        )

    assert refused.value.index == 1
    assert not Person.objects.exists()


def test_a_bad_field_or_a_custody_start_to_come_refuses_that_registration(
    worker_chiangmai, operation
):
    later = timezone.now() + dt.timedelta(hours=1)
    for registrations, index, message in [
        (
            [registration("Mya Thida"), registration("")],
            1,
            "Give at least one name, in any script.",
        ),
        ([registration("Mya Thida", custody=later)], 0, "This date is in the future."),
    ]:
        with pytest.raises(services.RegistrationRefused) as refused:
            services.operation_persons_register(
                actor=worker_chiangmai, operation=operation, registrations=registrations
            )

        assert (refused.value.index, refused.value.messages) == (index, [message])
    assert not Person.objects.exists() and not Screening.objects.exists()


def test_someone_who_may_not_register_persons_is_refused_before_anything_is_saved(
    director_kredtrakarn, operation
):
    with pytest.raises(services.RegistrationRefused) as refused:
        services.operation_persons_register(
            actor=director_kredtrakarn,
            operation=operation,
            registrations=[registration("Mya Thida")],
        )

    assert refused.value.messages == ["Only provincial social workers register persons."]
    assert not Person.objects.exists()

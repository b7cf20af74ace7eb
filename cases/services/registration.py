"""Registering the persons of an operation's intake file all at once (cases/intake/importing.py):
for each, what person_create, case_open and screening_start do, with their checks and side
effects, in about twenty queries for a hundred persons instead of some thirty a person."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record_many
from core.domain import ActionForbidden
from notifications.matrix import announce
from sla.models import Clock
from sla.services import deadlines_open, due_times_for

from ..models import Case, CaseEvent, IdentityDocument, Operation, Person, Screening
from ..permissions import can_register
from .cases import new_case, next_case_numbers
from .persons import DOCUMENT_HELD, DocumentInput, new_identity_document, new_person
from .screening import new_screening


@dataclass(frozen=True)
class Registration:
    """One person of the list and their case: `person` already on record (a row linked to them),
    or else a new person from `details` (person_create's keyword arguments but the actor and
    the documents) with `documents`; the case's details (case_open's) and the custody start
    from which their identification runs."""

    intake_channel: str
    intake_date: dt.date
    custody_started_at: dt.datetime
    exploitation_types: Sequence[str] = ()
    risk_level: str = "medium"
    person: Person | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    documents: Sequence[DocumentInput] = ()


class RegistrationRefused(Exception):
    """The registration at `index` of the list breaks a rule: `messages` say which."""

    def __init__(self, index: int, messages: list[str]):
        super().__init__(" ".join(messages))
        self.index = index
        self.messages = messages


@transaction.atomic
def operation_persons_register(
    *, actor: User, operation: Operation, registrations: Sequence[Registration]
) -> list[Case]:
    """Register the new persons of `registrations`, open a case in `operation` for each and
    start each identification from its custody start; the cases in the order given.

    Side effects, as person_create, case_open and screening_start: each new Person with its
    identity documents; each Case with the next case number of the actor's province, its
    "opened" CaseEvent; each Screening, its identification Deadline and its "screening
    started" CaseEvent; an AuditEvent for each person, case and screening. Raises
    RegistrationRefused for the first registration that breaks one of their rules (a bad
    field, a document on another person's record, a custody start in the future, an actor who
    may not register); nothing is saved then.
    """
    if not registrations:
        return []
    if not can_register(actor):
        raise RegistrationRefused(0, [_("Only provincial social workers register persons.")])
    persons, documents = _new_persons(actor, registrations)
    cases = [
        _checked(
            index,
            new_case,
            actor=actor,
            person=persons[index],
            intake_channel=registration.intake_channel,
            intake_date=registration.intake_date,
            intake_province=operation.province,
            exploitation_types=registration.exploitation_types,
            risk_level=registration.risk_level,
            operation=operation,
        )
        for index, registration in enumerate(registrations)
    ]
    now = timezone.now()
    for index, registration in enumerate(registrations):
        if registration.custody_started_at > now:
            raise RegistrationRefused(index, [_("This date is in the future.")])

    created = Person.objects.bulk_create(
        [
            person
            for person, registration in zip(persons, registrations, strict=True)
            if not registration.person
        ]
    )
    _save_documents(documents)
    numbers = next_case_numbers(
        province_code=cases[0].owner.province.code, on=timezone.localdate(), count=len(cases)
    )
    for case, number in zip(cases, numbers, strict=True):
        case.number = number
    Case.objects.bulk_create(cases)
    starts = [registration.custody_started_at for registration in registrations]
    screenings = Screening.objects.bulk_create(
        [
            new_screening(case=case, custody_started_at=start, deadline_at=due_at)
            for case, start, due_at in zip(
                cases,
                starts,
                due_times_for(clock=Clock.IDENTIFICATION, starts=starts),
                strict=True,
            )
        ]
    )
    deadlines_open(
        clock=Clock.IDENTIFICATION,
        starting=[
            (screening, screening.case.owner, screening.custody_started_at, screening.deadline_at)
            for screening in screenings
        ],
    )
    CaseEvent.objects.bulk_create(
        [
            *(
                CaseEvent(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, summary=case.number)
                for case in cases
            ),
            *(
                CaseEvent(case=case, kind=CaseEvent.Kind.SCREENING_STARTED, actor=actor)
                for case in cases
            ),
        ]
    )
    for objects in (created, cases, screenings):
        audit_record_many(action=AuditEvent.Action.CREATE, actor=actor, objects=objects)
    for _case in cases:
        announce("case.opened", actor=actor)
        announce("screening.started", actor=actor)
    return cases


def _checked(index: int, build, **kwargs):
    """build(**kwargs), its ValidationError or ActionForbidden told as the refusal of
    registration `index`."""
    try:
        return build(**kwargs)
    except ValidationError as error:
        raise RegistrationRefused(index, error.messages) from error
    except ActionForbidden as error:
        raise RegistrationRefused(index, [str(error)]) from error


def _new_persons(
    actor: User, registrations: Sequence[Registration]
) -> tuple[list[Person], list[tuple[int, IdentityDocument]]]:
    """Each registration's person (on record, or new and checked as person_create checks it),
    and the new persons' documents with the index of their registration, none of them on
    another person's record nor given twice."""
    persons, documents = [], []
    for index, registration in enumerate(registrations):
        person = registration.person or _checked(
            index, new_person, actor=actor, **registration.details
        )
        persons.append(person)
        if registration.person is None:
            documents += [
                (index, _checked(index, new_identity_document, person=person, document=d))
                for d in registration.documents
            ]
    held = _held(record for _index, record in documents)
    for index, record in documents:
        key = (record.kind, record.issuing_country, record.number)
        if key in held:
            raise RegistrationRefused(index, [str(DOCUMENT_HELD)])
        held.add(key)
    return persons, documents


def _held(records) -> set[tuple[str, str, str]]:
    """The (kind, issuing country, number) of these documents that are on someone's record."""
    records = list(records)
    if not records:
        return set()
    numbers = {record.number for record in records}
    return set(
        IdentityDocument.objects.filter(number__in=numbers).values_list(
            "kind", "issuing_country", "number"
        )
    )


def _save_documents(documents: list[tuple[int, IdentityDocument]]) -> None:
    """Save the documents of the persons just saved; one registered this very moment by
    someone else refuses the registration that holds it."""
    if not documents:
        return
    try:
        with transaction.atomic():
            IdentityDocument.objects.bulk_create([record for _index, record in documents])
    except IntegrityError:
        held = _held(record for _index, record in documents)
        for index, record in documents:
            if (record.kind, record.issuing_country, record.number) in held:
                raise RegistrationRefused(index, [str(DOCUMENT_HELD)]) from None
        raise

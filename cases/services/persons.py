"""Writes to persons and their identity documents."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure

from ..models import IdentityDocument, Person
from ..names import name_key
from ..permissions import can_register


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""
    expires_on: dt.date | None = None


@transaction.atomic
def person_create(
    *,
    actor: User,
    sex: str,
    name_th: str = "",
    name_latin: str = "",
    name_native: str = "",
    aliases: Sequence[str] = (),
    date_of_birth: dt.date | None = None,
    estimated_age: int | None = None,
    age_disputed: bool = False,
    nationality: str = "",
    stateless: bool = False,
    languages: Sequence[str] = (),
    documents: Iterable[DocumentInput] = (),
) -> Person:
    """Register a person with their identity documents.

    Side effects: an AuditEvent. Raises ValidationError (nothing saved) for a bad field, an
    invalid Thai ID or a document already on another person's record.
    """
    ensure(can_register(actor), _("Only provincial social workers register persons."))
    person = Person(
        name_th=name_th.strip(),
        name_latin=name_latin.strip(),
        name_native=name_native.strip(),
        aliases=[alias.strip() for alias in aliases if alias.strip()],
        sex=sex,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=timezone.localdate() if estimated_age is not None else None,
        age_disputed=age_disputed,
        nationality="" if stateless else nationality,
        stateless=stateless,
        languages=list(languages),
        created_by_organisation=actor.membership.organisation,
    )
    person.name_key = name_key(
        person.name_th, person.name_latin, person.name_native, *person.aliases
    )
    # The related rows are given as instances and the constraints are checked in clean(), with
    # the database as the backstop: skipping their re-checks saves queries on a mass intake.
    person.full_clean(exclude=["created_by_organisation"], validate_constraints=False)
    person.save()
    for document in documents:
        identity_document_add(person=person, document=document)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=person)
    return person


def identity_document_add(*, person: Person, document: DocumentInput) -> IdentityDocument:
    """Add an identity document; its errors are reported on `document_number`, the name the
    registration form and the API give it."""
    record = IdentityDocument(
        person=person,
        kind=document.kind,
        number=document.number,
        issuing_country=document.issuing_country,
        expires_on=document.expires_on,
    )
    try:
        record.clean()
        if IdentityDocument.objects.filter(
            kind=record.kind, issuing_country=record.issuing_country, number=record.number
        ).exists():
            raise ValidationError(
                _("This document is already on another person's record: link to that person.")
            )
        record.full_clean(exclude=["person"], validate_constraints=False)
        try:
            with transaction.atomic():  # another registration may take it this very moment
                record.save()
        except IntegrityError:
            raise ValidationError(
                _("This document is already on another person's record: link to that person.")
            ) from None
    except ValidationError as error:
        raise ValidationError({"document_number": error.messages}) from error
    return record

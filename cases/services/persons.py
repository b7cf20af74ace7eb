"""Writes to persons and their identity documents."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.permissions import has_role
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure

from ..models import CaseEvent, IdentityDocument, Person
from ..names import name_key, normalise
from ..permissions import can_register
from ..validators import normalise_phone
from .cases import case_event_add

DOCUMENT_HELD = gettext_lazy(
    "This document is already on another person's record: link to that person."
)


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""
    expires_on: dt.date | None = None


@transaction.atomic
def person_create(*, actor: User, documents: Iterable[DocumentInput] = (), **fields) -> Person:
    """Register a person (`fields`: those of new_person) with their identity documents.

    Side effects: an AuditEvent. Raises ValidationError (nothing saved) for a bad field, an
    invalid Thai ID or a document already on another person's record.
    """
    ensure(can_register(actor), _("Only provincial social workers register persons."))
    person = new_person(actor=actor, **fields)
    person.save()
    for document in documents:
        identity_document_add(person=person, document=document)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=person)
    return person


def new_person(
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
    phone: str = "",
) -> Person:
    """The Person person_create saves, with its name key, checked and not saved yet (also for
    a mass intake, which saves many at once). Raises ValidationError for a bad field."""
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
        phone=normalise_phone(phone),
        created_by_organisation=actor.membership.organisation,
    )
    person.name_key = name_key(
        person.name_th, person.name_latin, person.name_native, *person.aliases
    )
    # The related rows are given as instances and the constraints are checked in clean(), with
    # the database as the backstop: skipping their re-checks saves queries on a mass intake.
    person.full_clean(exclude=["created_by_organisation"], validate_constraints=False)
    return person


@transaction.atomic
def person_identity_add(
    *,
    person: Person,
    actor: User,
    names: Iterable[str] = (),
    documents: Iterable[DocumentInput] = (),
) -> Person:
    """Keep what another record of the same person tells of them (a row of an intake file
    linked to them, or merged into another row): each spelling of the name they are not yet
    known by becomes an alias, which the case search and the duplicate finder then read
    (name_key); each identity document not yet on their record is added.

    Side effects: an AuditEvent naming the aliases and the kinds of documents added, when
    anything was. Raises ValidationError for a document already on another person's record.
    """
    ensure(can_register(actor), _("Only provincial social workers register persons."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    known = set(person.name_key.split("|"))
    added_names = []
    for name in (name.strip() for name in names):
        if (key := normalise(name)) and key not in known:
            known.add(key)
            added_names.append(name)
    held = set(person.documents.values_list("kind", "issuing_country", "number"))
    added_documents = []
    for document in documents:
        # As identity_document_add will store it: the number without spaces or dashes.
        record = IdentityDocument(
            kind=document.kind, number=document.number, issuing_country=document.issuing_country
        )
        record.clean()
        if (record.kind, record.issuing_country, record.number) not in held:
            identity_document_add(person=person, document=document)
            added_documents.append(record.kind)
    if added_names:
        person.aliases = [*person.aliases, *added_names]
        person.name_key = name_key(
            person.name_th, person.name_latin, person.name_native, *person.aliases
        )
        person.save(update_fields=["aliases", "name_key", "updated_at"])
    if added_names or added_documents:
        audit_record(
            action=AuditEvent.Action.UPDATE,
            actor=actor,
            obj=person,
            changes={"aliases_added": added_names, "documents_added": added_documents},
        )
    return person


def identity_document_add(*, person: Person, document: DocumentInput) -> IdentityDocument:
    """Add an identity document; its errors are reported on `document_number`, the name the
    registration form and the API give it."""
    record = new_identity_document(person=person, document=document)
    try:
        if IdentityDocument.objects.filter(
            kind=record.kind, issuing_country=record.issuing_country, number=record.number
        ).exists():
            raise ValidationError(DOCUMENT_HELD)
        try:
            with transaction.atomic():  # another registration may take it this very moment
                record.save()
        except IntegrityError:
            raise ValidationError(DOCUMENT_HELD) from None
    except ValidationError as error:
        raise ValidationError({"document_number": error.messages}) from error
    return record


def new_identity_document(*, person: Person, document: DocumentInput) -> IdentityDocument:
    """The IdentityDocument identity_document_add saves, its number normalised and checked,
    not saved yet, nor checked against the other persons' documents. Raises ValidationError
    on `document_number`."""
    record = IdentityDocument(
        person=person,
        kind=document.kind,
        number=document.number,
        issuing_country=document.issuing_country,
        expires_on=document.expires_on,
    )
    try:
        record.clean()
        record.full_clean(exclude=["person"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError({"document_number": error.messages}) from error
    return record


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor: User, reason: str) -> Person:
    """The central division found that `duplicate` is the same person as `keep` (a possible
    duplicate reported by an office, possible_duplicate_report): every record held on
    `duplicate` (their cases, identity documents, shelter stays) moves to `keep`, their names
    become other names of `keep`, what `keep` lacks (date of birth, nationality, phone) is taken
    from them, and the `duplicate` row goes. Each office keeps its own cases; only the person
    behind them is one.

    Side effects: a line on the timeline of every case that moved, an AuditEvent on `keep`
    naming the merged record, its cases and names. Raises ValidationError (nothing changed)
    for another role, one record twice, no reason, or two records that both hold a shelter
    bed (one stay must end first: one bed per person)."""
    ensure(
        has_role(actor, Role.CENTRAL_REVIEWER),
        _("Only the central division merges the records of one person."),
    )
    ensure(keep.pk != duplicate.pk, _("This is the same record: choose the other one."))
    ensure(bool(reason.strip()), _("Say how you know that they are the same person."))
    locked = Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    people = {person.pk: person for person in locked.order_by("pk")}
    keep, duplicate = people[keep.pk], people[duplicate.pk]
    numbers = list(duplicate.cases.order_by("number").values_list("number", flat=True))
    known = set(keep.name_key.split("|"))
    names = (duplicate.name_th, duplicate.name_latin, duplicate.name_native, *duplicate.aliases)
    added_names = [name for name in dict.fromkeys(names) if name and normalise(name) not in known]
    try:
        with transaction.atomic():
            # Every row that points at a person (cases, documents, stays: whichever app holds
            # them) now points at the one kept.
            for relation in Person._meta.related_objects:
                holders = relation.related_model._base_manager.filter(
                    **{relation.field.name: duplicate}
                )
                if relation.many_to_many:  # a breach's persons affected (privacy), say
                    for holder in holders:
                        persons = getattr(holder, relation.field.name)
                        persons.add(keep)
                        persons.remove(duplicate)
                else:
                    holders.update(**{relation.field.name: keep})
    except IntegrityError:
        raise ValidationError(
            _(
                "Both records have a person staying in a shelter. End one of the stays (a "
                "discharge or a transfer) before merging the records."
            ),
            code="both_in_a_bed",
        ) from None
    keep.aliases = [*keep.aliases, *added_names]
    keep.name_key = name_key(keep.name_th, keep.name_latin, keep.name_native, *keep.aliases)
    if keep.date_of_birth is None and keep.estimated_age is None:
        keep.date_of_birth = duplicate.date_of_birth
        keep.estimated_age, keep.age_estimated_on = (
            duplicate.estimated_age,
            duplicate.age_estimated_on,
        )
    if not keep.nationality and not keep.stateless:
        keep.nationality, keep.stateless = duplicate.nationality, duplicate.stateless
    keep.phone = keep.phone or duplicate.phone
    keep.languages = list(dict.fromkeys([*keep.languages, *duplicate.languages]))
    keep.age_disputed = keep.age_disputed or duplicate.age_disputed
    keep.save()
    # The other office's case number is not named: it may be an office this one may not see.
    summary = _("The central division found this person registered twice: the records were merged.")
    for case in keep.cases.filter(number__in=numbers):
        case_event_add(case=case, kind=CaseEvent.Kind.UPDATED, actor=actor, summary=summary)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=keep,
        changes={
            "merged_person": duplicate.pk,
            "cases_moved": numbers,
            "aliases_added": added_names,
            "reason": reason.strip(),
        },
    )
    duplicate.delete()
    return keep

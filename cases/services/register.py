"""Registering one person and opening their case (the register page and POST
/api/v1/registrations/): the likely duplicates are shown before a new person is created, so
that the worker can link to an existing record instead."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import User

from ..duplicates import Candidate, Match, find_duplicates
from ..models import Case, Person
from ..selectors import person_get_visible, person_holding_document, person_list_visible_to
from .cases import case_open, possible_duplicate_report
from .persons import DocumentInput, person_create


@dataclass(frozen=True)
class RegisterOutcome:
    """The case opened, or why none was: the likely duplicates the worker may open (`matches`),
    whether there are others in offices they may not see (`elsewhere`: never who), and whether
    the identity document given is held by such a person (`document_holder_elsewhere`)."""

    case: Case | None = None
    matches: list[Match] = field(default_factory=list)
    elsewhere: bool = False
    document_holder_elsewhere: bool = False


def _candidate(person: dict, documents: Sequence[DocumentInput]) -> Candidate:
    return Candidate(
        name_th=person.get("name_th", ""),
        name_latin=person.get("name_latin", ""),
        name_native=person.get("name_native", ""),
        aliases=tuple(person.get("aliases", ())),
        date_of_birth=person.get("date_of_birth"),
        estimated_age=person.get("estimated_age"),
        nationality=person.get("nationality", ""),
        documents=tuple((document.kind, document.number) for document in documents),
    )


def _likely_duplicates(actor: User, candidate: Candidate) -> tuple[list[Match], list[Person]]:
    """Likely duplicates: those the worker may open, and the persons of other offices, which
    the worker is not shown at all (not even that an office holds a named person: the central
    division is asked to check instead, possible_duplicate_report)."""
    matches = find_duplicates(candidate)
    visible_ids = set(
        person_list_visible_to(user=actor)
        .filter(pk__in=[m.person.pk for m in matches])
        .values_list("pk", flat=True)
    )
    visible = [m for m in matches if m.person.pk in visible_ids]
    elsewhere = [m.person for m in matches if m.person.pk not in visible_ids]
    return visible, elsewhere


def _document_holder_elsewhere(actor: User, documents: Sequence[DocumentInput]) -> Person | None:
    """The person of another office who holds one of the identity `documents`: the same
    person, whatever the names say (None when there is none, or the worker may see them)."""
    for document in documents:
        holder = person_holding_document(
            kind=document.kind, number=document.number, issuing_country=document.issuing_country
        )
        if (
            holder is not None
            and not person_list_visible_to(user=actor).filter(pk=holder.pk).exists()
        ):
            return holder
    return None


@transaction.atomic
def case_register(
    *,
    actor: User,
    person: dict,
    documents: Sequence[DocumentInput] = (),
    case: dict,
    link_person_id: int | None = None,
    confirmed_new: bool = False,
    link_document_holder: bool = False,
) -> RegisterOutcome:
    """Open a case (`case`: case_open's keyword arguments but the actor and the person) for a
    person: the visible one `link_person_id`; or, with `link_document_holder`, the person of
    another office who holds one of the `documents`; or a new person (`person`: person_create's
    keyword arguments but the actor and the documents) when there is no likely duplicate, or
    the worker confirmed (`confirmed_new`) that it is someone else, and nobody elsewhere holds
    one of the documents. Otherwise nothing is saved and the outcome says what to look at
    first.

    Side effects: those of person_create and case_open; the central division is told
    (possible_duplicate_report) when the case is opened for another office's person, or for a
    new person who may be another office's.
    """
    holder = _document_holder_elsewhere(actor, documents)
    if holder is not None and link_document_holder:
        opened = case_open(actor=actor, person=holder, **case)
        possible_duplicate_report(case=opened, actor=actor, persons=[holder])
        return RegisterOutcome(case=opened)
    visible, elsewhere = [], []
    if not link_person_id:
        visible, elsewhere = _likely_duplicates(actor, _candidate(person, documents))
    # A document is one person's: its holder elsewhere is linked to, never registered again.
    if not link_person_id and (
        holder is not None or ((visible or elsewhere) and not confirmed_new)
    ):
        return RegisterOutcome(
            matches=visible,
            elsewhere=bool(elsewhere) or holder is not None,
            document_holder_elsewhere=holder is not None,
        )
    if link_person_id:
        registered = person_get_visible(user=actor, person_id=link_person_id)
    else:
        registered = person_create(actor=actor, documents=list(documents), **person)
    opened = case_open(actor=actor, person=registered, **case)
    if elsewhere:
        possible_duplicate_report(case=opened, actor=actor, persons=elsewhere)
    return RegisterOutcome(case=opened)

"""What the audit log's entries are about, named as a person names them: a case by its number
and the person's name, a screening, referral or stay by the case it belongs to and its kind, a
user by user name and full name, an organisation by its name.

Each kind of record the services log says here which case it belongs to (`case`, a lookup from
the record) and what else names it. A page of entries is named in bulk: one query per kind of
record on the page, which also asks the visibility selectors whether the viewer may see the
case or person (their name is shown only then). A kind not listed is named by its `str()`.
"""

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from audit.models import AuditEvent
from cases.models import (
    AccessGrant,
    Case,
    CaseDocument,
    CaseNote,
    Consent,
    IntakeBatch,
    Interview,
    Operation,
    Permit,
    Person,
    Screening,
)
from cases.selectors import case_list_visible_to, person_list_visible_to
from core.dates import format_date, format_datetime
from lessons.models import Endorsement, Lesson, LessonAction
from partners.models import PlanTask
from referrals.models import Referral
from repatriation.models import CounterpartAgency, DataTransfer, Repatriation
from shelters.models import CarePlanItem, MovementRecord, Placement, ShelterUnit
from sla.models import HolidayChange


@dataclass(frozen=True)
class Subject:
    """What an entry is about, in words: the kind of record ("การคัดแยก"), its name (a case
    number, a user's name, a list's name), the person's name where the viewer may see it, a
    detail (a referral's kind and receiver, a list's filters and rows) and its page."""

    kind: str = ""
    label: str = ""
    person: str = ""
    detail: str = ""
    url: str = ""


def _user_name(user) -> str:
    full = user.get_full_name()
    return f"{user.username} ({full})" if full else user.username


@dataclass(frozen=True)
class RecordKind:
    """How the log names the records of one model. `case`: the lookup from a record to its case
    ("pk" for a case itself, None for a record outside any case); `related`: what `detail` and
    `url` read, joined in the same query; `detail`: the record in a few words beside its case
    number, or its name when it belongs to no case; `url`: its page (given only when the
    viewer may see the case)."""

    case: str | None = None
    related: tuple[str, ...] = ()
    detail: Callable[[models.Model], str] = lambda record: ""
    url: Callable[[models.Model], str] | None = None


def _case_page(path: str) -> Callable[[models.Model], str]:
    return lambda record: reverse("cases:detail", args=[_follow(record, path).pk])


KINDS: dict[type[models.Model], RecordKind] = {
    Case: RecordKind(case="pk", url=lambda case: case.get_absolute_url()),
    Screening: RecordKind(
        case="case",
        detail=lambda screening: screening.get_status_display(),
        url=lambda screening: screening.get_absolute_url(),
    ),
    Interview: RecordKind(
        case="screening__case",
        detail=lambda interview: format_datetime(interview.held_at),
        url=lambda interview: reverse("cases:screening", args=[interview.screening_id]),
    ),
    Referral: RecordKind(
        case="case",
        related=("to_organisation",),
        detail=lambda referral: f"{referral.get_kind_display()} → {referral.to_organisation.name}",
        url=lambda referral: referral.get_absolute_url(),
    ),
    Placement: RecordKind(
        case="case",
        related=("unit__shelter__organisation",),
        detail=lambda placement: str(placement.unit),
        url=lambda placement: placement.get_absolute_url(),
    ),
    CarePlanItem: RecordKind(
        case="placement__case",
        detail=str,
        url=lambda item: reverse("shelters:resident", args=[item.placement_id]),
    ),
    MovementRecord: RecordKind(
        case="placement__case",
        detail=lambda record: record.get_kind_display(),
        url=lambda record: reverse("shelters:resident", args=[record.placement_id]),
    ),
    Repatriation: RecordKind(
        case="case",
        related=("counterpart", "province"),
        detail=lambda repatriation: f"{repatriation.get_kind_display()} → {repatriation.receiver}",
        url=lambda repatriation: repatriation.get_absolute_url(),
    ),
    DataTransfer: RecordKind(
        case="case",
        related=("repatriation__counterpart",),
        detail=lambda transfer: (
            f"{transfer.get_basis_display()} → {transfer.repatriation.counterpart.name}"
        ),
        url=lambda transfer: transfer.repatriation.get_absolute_url(),
    ),
    CaseNote: RecordKind(case="case", url=_case_page("case")),
    CaseDocument: RecordKind(
        case="case", detail=lambda document: document.original_name, url=_case_page("case")
    ),
    Consent: RecordKind(case="case", detail=str, url=_case_page("case")),
    Permit: RecordKind(case="case", detail=lambda permit: permit.reference, url=_case_page("case")),
    AccessGrant: RecordKind(
        case="case",
        related=("user",),
        detail=lambda grant: _("to %(user)s") % {"user": _user_name(grant.user)},
        url=_case_page("case"),
    ),
    PlanTask: RecordKind(
        case="case",
        related=("organisation",),
        detail=lambda task: f"{task.organisation.name} · {task.get_status_display()}",
        url=lambda task: task.get_absolute_url(),
    ),
    # The lessons-learned register holds no person: its records are named by the item's number.
    Lesson: RecordKind(detail=str),
    LessonAction: RecordKind(detail=str),
    Endorsement: RecordKind(related=("organisation",), detail=str),
    Operation: RecordKind(detail=lambda operation: operation.name),
    IntakeBatch: RecordKind(related=("operation",), detail=str),
    User: RecordKind(detail=_user_name),
    Membership: RecordKind(
        related=("user", "organisation"),
        detail=lambda membership: (
            f"{_user_name(membership.user)} · {membership.get_role_display()} · "
            f"{membership.organisation.name}"
        ),
    ),
    Organisation: RecordKind(detail=lambda organisation: organisation.name),
    CounterpartAgency: RecordKind(detail=lambda agency: agency.name),
    ShelterUnit: RecordKind(related=("shelter__organisation",), detail=str),
    HolidayChange: RecordKind(
        detail=lambda change: f"{format_date(change.date)} · {change.get_kind_display()}"
    ),
}

# The kinds of record whose lists show persons (cases, the API's lists, a shelter's residents):
# a search by case or person finds the lists that showed them.
LISTED = (Case, Person, Screening, Referral, Placement)


def _follow(record: models.Model, path: str):
    if path == "pk":
        return record
    return functools.reduce(getattr, path.split("__"), record)


def _as_text(records: QuerySet) -> QuerySet:
    """The records' primary keys as text, as AuditEvent.object_id holds them (a subquery)."""
    return records.order_by().annotate(key=Cast("pk", CharField())).values("key")


def _load(model: type[models.Model], ids: Iterable[str], *, viewer) -> QuerySet:
    """The records of one kind, with what names them and whether the viewer may see their
    case (or the person), in one query."""
    records = model._default_manager.filter(pk__in=ids)
    kind = KINDS.get(model, RecordKind())
    if model is Person:
        visible = person_list_visible_to(user=viewer).filter(pk=OuterRef("pk"))
        return records.annotate(visible=Exists(visible))
    if kind.case is None:
        return records.select_related(*kind.related)
    person = "person" if kind.case == "pk" else f"{kind.case}__person"
    visible = case_list_visible_to(user=viewer).filter(pk=OuterRef(kind.case))
    return records.select_related(person, *kind.related).annotate(visible=Exists(visible))


def _subject(model: type[models.Model], record: models.Model) -> Subject:
    kind_name = str(model._meta.verbose_name)
    if model is Person:
        if not record.visible:
            return Subject(kind=kind_name)
        url = reverse("cases:person", args=[record.pk])
        return Subject(kind=kind_name, person=record.display_name, url=url)
    kind = KINDS.get(model)
    if kind is None:
        return Subject(kind=kind_name, label=str(record))
    if kind.case is None:
        return Subject(kind=kind_name, label=kind.detail(record))
    case = _follow(record, kind.case)
    return Subject(
        kind=kind_name,
        label=case.number,
        person=case.person.display_name if record.visible else "",
        detail=kind.detail(record),
        url=kind.url(record) if record.visible and kind.url else "",
    )


def name_records(events: Iterable[AuditEvent], *, viewer) -> dict[tuple[int, str], Subject]:
    """The subject of each event about a record, by (content type id, object id): one query
    per kind of record among the events. A record since removed is named by its kind."""
    wanted = defaultdict(set)
    for event in events:
        if event.object_type_id and event.object_id:
            wanted[event.object_type_id].add(event.object_id)
    named = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        kind_name = str(model._meta.verbose_name) if model else ""
        found = (
            {str(record.pk): record for record in _load(model, ids, viewer=viewer)} if model else {}
        )
        for pk in ids:
            record = found.get(pk)
            named[type_id, pk] = (
                _subject(model, record)
                if record is not None
                else Subject(kind=kind_name, detail=_("no longer exists"))
            )
    return named


def events_about_cases(cases: QuerySet[Case], *, listed: list[tuple[int, int]] | None) -> Q:
    """The entries about these cases: each case, its person, every record of it (screenings,
    referrals, stays, notes, ...) and, when `listed` gives the cases' (id, person id), the
    lists that showed them or one of their screenings, referrals or stays. The records are
    found by subqueries, however many cases match; the lists need the ids themselves."""
    condition = Q(
        object_type=ContentType.objects.get_for_model(Person),
        object_id__in=_as_text(Person.objects.filter(cases__in=cases)),
    )
    for model, kind in KINDS.items():
        if kind.case is None:
            continue
        records = (
            cases
            if kind.case == "pk"
            else model._default_manager.filter(**{f"{kind.case}__in": cases})
        )
        condition |= Q(
            object_type=ContentType.objects.get_for_model(model), object_id__in=_as_text(records)
        )
    # A list's rows are ids in a JSON array: PostgreSQL finds one with jsonb containment.
    if listed and connection.features.supports_json_field_contains:
        condition |= _lists_showing(listed)
    return condition


def _lists_showing(listed: list[tuple[int, int]]) -> Q:
    """The list entries whose rows included one of these cases (given as (id, person id)),
    their persons, or their screenings, referrals or stays."""
    case_ids = [case for case, _person in listed]
    shown = {
        Case: case_ids,
        Person: [person for _case, person in listed],
        **{
            model: list(
                model._default_manager.filter(case_id__in=case_ids).values_list("pk", flat=True)
            )
            for model in LISTED
            if model not in (Case, Person)
        },
    }
    condition = Q(pk__in=[])
    for model, ids in shown.items():
        if ids:
            rows = functools.reduce(operator.or_, (Q(changes__ids__contains=[pk]) for pk in ids))
            condition |= Q(changes__model=model._meta.label_lower) & rows
    return Q(action=AuditEvent.Action.LIST) & condition

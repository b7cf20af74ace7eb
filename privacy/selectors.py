"""Reads of the data protection records: only their readers (permissions.READERS) see them,
everyone else gets none (an invisible record is a 404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from audit.models import AuditEvent
from audit.reads import read_for_display
from cases.models import Case, Person
from repatriation.models import DataTransfer
from sla.models import Deadline

from .models import Breach, BreakGlass, SubjectRequest
from .permissions import reads_register


def breach_list_visible_to(*, user) -> QuerySet[Breach]:
    if not reads_register(user):
        return Breach.objects.none()
    return Breach.objects.select_related("recorded_by", "account")


def breach_get_visible(*, user, breach_id) -> Breach:
    try:
        return breach_list_visible_to(user=user).get(pk=breach_id)
    except (Breach.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def breach_get_for_display(*, user, breach_id) -> Breach:
    return read_for_display(breach_get_visible, user=user, breach_id=breach_id)


def request_list_visible_to(*, user) -> QuerySet[SubjectRequest]:
    if not reads_register(user):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.select_related("received_by", "recorded_by")


def request_get_visible(*, user, request_id) -> SubjectRequest:
    try:
        return request_list_visible_to(user=user).get(pk=request_id)
    except (SubjectRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def request_get_for_display(*, user, request_id) -> SubjectRequest:
    return read_for_display(request_get_visible, user=user, request_id=request_id)


def running_deadline(obj) -> Deadline | None:
    """The clock still running on a breach or a request, if any."""
    from django.contrib.contenttypes.models import ContentType

    return Deadline.objects.filter(
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        closed_at__isnull=True,
    ).first()


def persons_read_by(*, account, start, end) -> QuerySet[Person]:
    """The persons whose records `account` opened, changed, listed or exported between
    `start` and `end`, as the audit log tells: a person's or a case's page, and the rows of
    the lists and exports it logged (audit.reads.record_list)."""
    from django.contrib.contenttypes.models import ContentType

    events = AuditEvent.objects.filter(actor=account, created_at__gte=start, created_at__lte=end)
    person_type = ContentType.objects.get_for_model(Person)
    case_type = ContentType.objects.get_for_model(Case)
    person_ids, case_ids = set(), set()
    for object_type, object_id, changes in events.filter(
        Q(object_type__in=[person_type, case_type]) | Q(action=AuditEvent.Action.LIST)
    ).values_list("object_type", "object_id", "changes"):
        if object_type == person_type.pk and object_id.isdigit():
            person_ids.add(int(object_id))
        elif object_type == case_type.pk and object_id.isdigit():
            case_ids.add(int(object_id))
        elif changes.get("model") == "cases.person":
            person_ids.update(changes.get("ids", []))
        elif changes.get("model") == "cases.case":
            case_ids.update(changes.get("ids", []))
    return Person.objects.filter(
        Q(pk__in=person_ids) | Q(pk__in=Case.objects.filter(pk__in=case_ids).values("person_id"))
    )


def cases_of(persons) -> QuerySet[Case]:
    """The cases of the affected persons, by number: what the officer names to the offices
    that must tell them."""
    return Case.objects.filter(person__in=persons).select_related("owner").order_by("number")


def running_deadlines_by_object() -> dict[tuple[str, int], Deadline]:
    """The running breach and request clocks, by (model name, object id): the overview's
    time left, in one query."""
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Breach, SubjectRequest)
    names = {content_type.pk: model._meta.model_name for model, content_type in types.items()}
    return {
        (names[deadline.object_type_id], deadline.object_id): deadline
        for deadline in Deadline.objects.filter(
            object_type__in=types.values(), closed_at__isnull=True
        )
    }


def transfers_abroad() -> QuerySet[DataTransfer]:
    """The register of transfers of persons' data abroad: the case, the recipient, the
    country, the basis and what was handed over (the data protection officer's read)."""
    return DataTransfer.objects.select_related("case", "sent_by", "repatriation__counterpart")


def break_glass_list_visible_to(*, user) -> QuerySet[BreakGlass]:
    """Every emergency access for the register's readers, to review; a supervisor's own."""
    rows = BreakGlass.objects.select_related("grant__case__owner", "grant__user", "reviewed_by")
    if reads_register(user):
        return rows
    return rows.filter(grant__user_id=user.pk) if user.is_authenticated else rows.none()

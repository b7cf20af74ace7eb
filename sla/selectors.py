"""Reads of deadlines."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import Role

from .models import Deadline


def deadline_subjects(deadlines) -> dict[tuple[int, int], tuple[str, str]]:
    """(content type id, object id) -> (case number, link) for each deadline's object (a
    screening, referral, placement or permit), one query per kind of object."""
    by_type = defaultdict(set)
    for deadline in deadlines:
        by_type[deadline.object_type_id].add(deadline.object_id)
    subjects = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for obj in model.objects.filter(pk__in=ids).select_related("case"):
            subjects[(type_id, obj.pk)] = (obj.case.number, obj.get_absolute_url())
    return subjects


def running_deadlines_of(*, user) -> QuerySet[Deadline]:
    """The clocks still running that the user's organisation answers for, soonest first."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role == Role.SYSADMIN:
        return Deadline.objects.none()  # a sysadmin sees no victim's case, not even its number
    return Deadline.objects.filter(
        organisation_id=membership.organisation_id, closed_at__isnull=True
    ).order_by("due_at")


def deadlines_answered_by(*, user) -> QuerySet[Deadline]:
    """Every clock (running or finished) the user's organisation answers for; all of them for
    the central division, which watches deadlines nationwide."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role == Role.SYSADMIN:
        return Deadline.objects.none()
    if membership.role == Role.CENTRAL_REVIEWER:
        return Deadline.objects.all()
    return Deadline.objects.filter(organisation_id=membership.organisation_id)

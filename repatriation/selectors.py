"""Reads of repatriations, always through the cases the user may see (DESIGN.md §6): the case
owner's office, the central division, the shelter of a resident, and a person granted the case
(a partner) see its repatriation; a sysadmin sees none."""

from django.db.models import QuerySet
from django.http import Http404

from audit.reads import read_for_display
from cases.selectors import case_list_visible_to
from sla.models import Deadline

from .models import CounterpartAgency, Repatriation


def repatriation_list_visible_to(*, user) -> QuerySet[Repatriation]:
    """The repatriations of the cases `user` may see, newest first."""
    visible = case_list_visible_to(user=user).select_related(None).values("pk")
    return Repatriation.objects.filter(case__in=visible).select_related(
        "case__person", "case__owner", "counterpart", "province"
    )


def repatriation_get_visible(*, user, repatriation_id) -> Repatriation:
    try:
        return repatriation_list_visible_to(user=user).get(pk=repatriation_id)
    except (Repatriation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def repatriation_get_for_display(*, user, repatriation_id) -> Repatriation:
    """The repatriation for its page: visible (404 otherwise), the reading logged."""
    return read_for_display(repatriation_get_visible, user=user, repatriation_id=repatriation_id)


def repatriations_of_shown_case(case) -> QuerySet[Repatriation]:
    """The repatriations of a case that the caller has already read through cases.selectors
    (the case page): whoever sees a case sees them, so its visibility is not worked out again.
    Never for a case id taken from a request."""
    return Repatriation.objects.filter(case=case).select_related("counterpart", "province")


def counterparts_active() -> QuerySet[CounterpartAgency]:
    return CounterpartAgency.objects.filter(is_active=True)


def running_deadlines(repatriation: Repatriation) -> list[Deadline]:
    """The clocks still running on the repatriation, soonest first."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        Deadline.objects.filter(
            object_type=ContentType.objects.get_for_model(Repatriation),
            object_id=repatriation.pk,
            closed_at__isnull=True,
        ).order_by("due_at")
    )

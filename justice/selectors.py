"""Reads of court proceedings, hearings and compensation claims: through the case visibility
of DESIGN.md §6 (cases.selectors), so whoever sees a case sees its justice records: the owning
office, a shelter its residents, the central division all, a partner only with a live grant."""

from django.db.models import Min, Q, QuerySet
from django.http import Http404

from audit.reads import read_for_display
from cases.models import Case, Permit
from cases.selectors import case_list_visible_to
from sla.models import Clock, Deadline

from .models import CompensationClaim, Hearing, Prosecution
from .workflow import HearingStatus


def _visible_cases(user):
    return case_list_visible_to(user=user).values("pk")


def prosecution_list_visible_to(*, user) -> QuerySet[Prosecution]:
    """The proceedings of the cases the user may see."""
    return Prosecution.objects.select_related("case__person", "case__owner").filter(
        case__in=_visible_cases(user)
    )


def prosecution_get_visible(*, user, prosecution_id) -> Prosecution:
    try:
        return prosecution_list_visible_to(user=user).get(pk=prosecution_id)
    except (Prosecution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def prosecution_get_for_display(*, user, prosecution_id) -> Prosecution:
    """A proceeding for its page: visible (404 otherwise), the reading logged."""
    return read_for_display(prosecution_get_visible, user=user, prosecution_id=prosecution_id)


def hearing_list_visible_to(*, user) -> QuerySet[Hearing]:
    return Hearing.objects.select_related("prosecution", "case").filter(
        case__in=_visible_cases(user)
    )


def hearing_get_visible(*, user, hearing_id) -> Hearing:
    try:
        return hearing_list_visible_to(user=user).get(pk=hearing_id)
    except (Hearing.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def hearing_get_for_display(*, user, hearing_id) -> Hearing:
    return read_for_display(hearing_get_visible, user=user, hearing_id=hearing_id)


def claim_list_visible_to(*, user) -> QuerySet[CompensationClaim]:
    """The compensation claims of the cases the user may see."""
    return CompensationClaim.objects.select_related(
        "case__person", "case__owner", "prosecution"
    ).filter(case__in=_visible_cases(user))


def claim_get_visible(*, user, claim_id) -> CompensationClaim:
    try:
        return claim_list_visible_to(user=user).get(pk=claim_id)
    except (CompensationClaim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def claim_get_for_display(*, user, claim_id) -> CompensationClaim:
    """A claim for its page: visible (404 otherwise), the reading logged."""
    return read_for_display(claim_get_visible, user=user, claim_id=claim_id)


def prosecutions_and_claims_of_shown_case(
    case: Case,
) -> tuple[QuerySet[Prosecution], QuerySet[CompensationClaim]]:
    """The proceedings (with their next hearing) and claims of a case that the caller has
    already read through cases.selectors (the case page): whoever sees a case sees these, so
    the case's visibility is not worked out again. Never for a case id taken from a request."""
    prosecutions = Prosecution.objects.filter(case=case).annotate(
        next_hearing=Min(
            "hearings__scheduled_at", filter=Q(hearings__status=HearingStatus.SCHEDULED)
        )
    )
    return prosecutions, CompensationClaim.objects.filter(case=case)


def permits_with_deadlines(case: Case) -> list[tuple[Permit, Deadline | None]]:
    """The case's stay and work permits (Act s.37), each with its running expiry clock."""
    permits = list(case.permits.all())
    clocks = {
        deadline.object_id: deadline
        for deadline in Deadline.objects.filter(
            clock=Clock.PERMIT_EXPIRY,
            object_type__model="permit",
            object_type__app_label="cases",
            object_id__in=[permit.pk for permit in permits],
            closed_at__isnull=True,
        )
    }
    return [(permit, clocks.get(permit.pk)) for permit in permits]

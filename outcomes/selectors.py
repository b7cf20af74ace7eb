"""Reads of outcomes, always through the cases the user may see (DESIGN.md §6)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from audit.reads import read_for_display
from cases.models import Case, Screening
from cases.models import Outcome as ScreeningOutcome
from cases.selectors import case_list_visible_to
from shelters.models import Placement
from shelters.services import FOLLOW_UP_MONTHS
from sla.models import Clock, Deadline

from .models import FOLLOW_UP_MOMENTS, Moment, Outcome

# A person identified again within this time after an earlier case of theirs closed counts as
# re-trafficked (issue 18): 24 months, counted as 730 days.
RETRAFFICKING_WINDOW = dt.timedelta(days=730)
IDENTIFIED = [ScreeningOutcome.VICTIM_TRAFFICKING, ScreeningOutcome.VICTIM_FORCED_LABOUR]


def _shelter_of(user) -> int | None:
    membership = user.membership if user.is_authenticated else None
    if membership is not None and membership.role in (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF):
        return membership.organisation_id
    return None


def outcome_list_visible_to(*, user) -> QuerySet[Outcome]:
    """The outcomes of the cases the user may see (their own office's, referred to them, their
    shelter's residents, granted to them; all for the central division; none for a sysadmin).
    A shelter sees the follow-ups after stays in its own shelter and the outcomes at closure,
    not the follow-ups after another shelter's stay (as shelters.selectors does for stays)."""
    outcomes = Outcome.objects.select_related(
        "case__person", "case__intake_province", "recorded_by"
    ).filter(case__in=case_list_visible_to(user=user).values("pk"))
    return _as_shelter_sees(outcomes, user)


def _as_shelter_sees(outcomes: QuerySet[Outcome], user) -> QuerySet[Outcome]:
    shelter = _shelter_of(user)
    if shelter is None:
        return outcomes
    return outcomes.filter(
        Q(placement__isnull=True) | Q(placement__unit__shelter__organisation_id=shelter)
    )


def outcome_get_visible(*, user, outcome_id) -> Outcome:
    try:
        return outcome_list_visible_to(user=user).get(pk=outcome_id)
    except (Outcome.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def outcome_get_for_display(*, user, outcome_id) -> Outcome:
    """One outcome for the API's retrieve: visible (404 otherwise), the reading logged."""
    return read_for_display(outcome_get_visible, user=user, outcome_id=outcome_id)


def case_outcomes_for(*, user, case: Case) -> QuerySet[Outcome]:
    """The outcomes that the user may see of a case that the caller has already read through
    cases.selectors (the case page), the latest first: the case's visibility is not worked out
    again. Never for a case id taken from a request."""
    return _as_shelter_sees(Outcome.objects.filter(case=case), user)


@dataclass(frozen=True)
class FollowUpDue:
    """The follow-up the owning office owes a person who left a shelter now."""

    placement: Placement
    moment: Moment
    due_at: dt.datetime


def follow_up_due(case: Case) -> FollowUpDue | None:
    """The follow-up whose clock runs for the case (the latest stay it ended, as
    shelters.services.follow_up_record reads it), with which one it is; or None."""
    placement = (
        Placement.objects.filter(case=case, discharged_at__isnull=False)
        .order_by("-discharged_at")
        .first()
    )
    if placement is None:
        return None
    clocks = Deadline.objects.filter(
        clock=Clock.FOLLOW_UP,
        object_type=ContentType.objects.get_for_model(Placement),
        object_id=placement.pk,
    )
    running = clocks.filter(closed_at__isnull=True).first()
    if running is None:
        return None
    done = clocks.filter(closed_at__isnull=False).count()
    months = FOLLOW_UP_MONTHS[min(done, len(FOLLOW_UP_MONTHS) - 1)]
    return FollowUpDue(placement=placement, moment=FOLLOW_UP_MOMENTS[months], due_at=running.due_at)


# --- Conditions the list's filters and the figures share ---------------------------------------


def has_twelve_month_outcome() -> Q:
    """A Q over Outcome: its case has an outcome of the 12-month follow-up."""
    return Q(Exists(Outcome.objects.filter(case_id=OuterRef("case_id"), moment=Moment.MONTHS_12)))


def retrafficked() -> Q:
    """A Q over Outcome (read for the outcomes at closure): the person was identified as a
    victim again in another case registered after this outcome and identified within 24
    months of it, or an outcome of the case carries a sign of re-victimisation. The other
    case may be another office's: only the fact counts here, never which case it is."""
    until = ExpressionWrapper(
        OuterRef("recorded_at") + RETRAFFICKING_WINDOW, output_field=DateTimeOutput()
    )
    again = Screening.objects.filter(
        case__person_id=OuterRef("case__person_id"),
        case__created_at__gt=OuterRef("recorded_at"),
        outcome__in=IDENTIFIED,
        decided_at__lte=until,
    ).exclude(case_id=OuterRef("case_id"))
    flagged = Outcome.objects.filter(case_id=OuterRef("case_id"), revictimised=True)
    return Q(Exists(again)) | Q(Exists(flagged))

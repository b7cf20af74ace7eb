"""The stages of a person's journey through the NRM, each read from the time stamps the other
apps already record: where it starts, where it ends and the limit (an `sla` clock) it is held
to. Nothing is stored here: a stage is a queryset of its rows, annotated with `start`, `end`
and `in_time` (True, False, or None for a stage with no limit).

    intake → screening started → decided → second review (not-a-victim decisions)
    decided → referral submitted → acknowledged → accepted → admitted → care plan
    admitted → discharged; repatriation planned → handed over; discharged → follow-up
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Screening
from referrals.models import Referral
from referrals.workflow import State as ReferralState
from repatriation.models import Repatriation
from shelters.models import Placement
from sla.models import Clock, Deadline


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    # The stage's rows (each with a `case`), annotated with start, end and in_time.
    rows: Callable[[], QuerySet]
    shelter: str | None = None  # the path from a row to the shelter's organisation, if any
    clocks: tuple[str, ...] = ()  # the sla clocks whose limit the stage is held to
    # The blockers that hold a row up: (the Blocker's field, the path from the row to it).
    blocked_on: tuple[str, str] | None = None


CLOSED = (Deadline.State.MET, Deadline.State.BREACHED)


def _clock(clocks) -> FilteredRelation:
    """The row's closed clock of one of `clocks` (a join, through `deadlines`)."""
    return FilteredRelation(
        "deadlines", condition=Q(deadlines__clock__in=clocks, deadlines__state__in=CLOSED)
    )


def _met(alias: str):
    """Whether the joined clock `alias` was met (None without one)."""
    return ExpressionWrapper(Q(**{f"{alias}__state": Deadline.State.MET}), BooleanField())


NO_LIMIT = Cast(Value(None), BooleanField())


def _screening_started():
    return Screening.objects.annotate(
        start=F("case__created_at"), end=F("created_at"), in_time=NO_LIMIT
    )


def _identification():
    return Screening.objects.filter(decided_at__isnull=False).annotate(
        start=F("custody_started_at"),
        end=F("decided_at"),
        # The s.29 limit as it applied to this person: 24 hours, or the court's extension.
        in_time=ExpressionWrapper(Q(decided_at__lte=F("deadline_at")), BooleanField()),
    )


def _second_review():
    return (
        Screening.objects.filter(decided_at__isnull=False, second_reviewed_at__isnull=False)
        .annotate(clock=_clock((Clock.SECOND_REVIEW,)))
        .annotate(start=F("decided_at"), end=F("second_reviewed_at"), in_time=_met("clock"))
    )


def _first_referral():
    """The case's first referral, from the decision on its screening."""
    earlier = Referral.objects.filter(
        case=OuterRef("case"), submitted_at__lt=OuterRef("submitted_at")
    )
    decided = FilteredRelation(
        "case__screenings", condition=Q(case__screenings__decided_at__isnull=False)
    )
    return (
        Referral.objects.filter(submitted_at__isnull=False)
        .filter(~Exists(earlier))
        .annotate(screening=decided)
        .filter(screening__isnull=False)
        .annotate(start=F("screening__decided_at"), end=F("submitted_at"), in_time=NO_LIMIT)
    )


def _state_reached(state: str) -> FilteredRelation:
    return FilteredRelation("events", condition=Q(events__field="state", events__to_state=state))


ACK_CLOCKS = (Clock.REFERRAL_ACK_URGENT, Clock.REFERRAL_ACK_NORMAL)
DECISION_CLOCKS = (Clock.REFERRAL_DECISION_URGENT, Clock.REFERRAL_DECISION_NORMAL)


def _acknowledged():
    return (
        Referral.objects.annotate(
            acked=_state_reached(ReferralState.ACKNOWLEDGED), clock=_clock(ACK_CLOCKS)
        )
        .filter(submitted_at__isnull=False, acked__isnull=False)
        .annotate(start=F("submitted_at"), end=F("acked__created_at"), in_time=_met("clock"))
    )


def _accepted():
    return (
        Referral.objects.annotate(
            acked=_state_reached(ReferralState.ACKNOWLEDGED),
            accepted=_state_reached(ReferralState.ACCEPTED),
            clock=_clock(DECISION_CLOCKS),
        )
        .filter(acked__isnull=False, accepted__isnull=False)
        .annotate(
            start=F("acked__created_at"),
            end=F("accepted__created_at"),
            # The decision clock runs from the submission: decided within its limit.
            in_time=_met("clock"),
        )
    )


def _admitted():
    return (
        Placement.objects.annotate(accepted=_state_reached_through_referral())
        .filter(accepted__isnull=False)
        .annotate(start=F("accepted__created_at"), end=F("admitted_at"), in_time=NO_LIMIT)
    )


def _state_reached_through_referral() -> FilteredRelation:
    return FilteredRelation(
        "referral__events",
        condition=Q(
            referral__events__field="state", referral__events__to_state=ReferralState.ACCEPTED
        ),
    )


def _care_plan():
    """Until the care plan's clock was closed: the plan made (shelters.services)."""
    return (
        Placement.objects.annotate(clock=_clock((Clock.CARE_PLAN,)))
        .filter(clock__isnull=False)
        .annotate(start=F("admitted_at"), end=F("clock__closed_at"), in_time=_met("clock"))
    )


def _stay():
    return Placement.objects.filter(discharged_at__isnull=False).annotate(
        start=F("admitted_at"), end=F("discharged_at"), in_time=NO_LIMIT
    )


def _repatriation():
    return (
        Repatriation.objects.filter(handed_over_at__isnull=False)
        .annotate(clock=_clock((Clock.REPATRIATION_HANDOVER,)))
        .annotate(start=F("created_at"), end=F("handed_over_at"), in_time=_met("clock"))
    )


def _follow_up():
    """Each follow-up after a stay: its clock runs from the discharge (the first) or the
    visit before, and is closed by the visit recorded (shelters.services)."""
    return (
        Placement.objects.annotate(clock=_clock((Clock.FOLLOW_UP,)))
        .filter(clock__isnull=False)
        .annotate(start=F("clock__started_at"), end=F("clock__closed_at"), in_time=_met("clock"))
    )


STAGES = [
    Stage(
        "screening_started",
        _("Intake to screening started"),
        _screening_started,
        blocked_on=("screening", "pk"),
    ),
    Stage(
        "identification",
        _("Screening started to decision"),
        _identification,
        clocks=(Clock.IDENTIFICATION,),
        blocked_on=("screening", "pk"),
    ),
    Stage(
        "second_review",
        _("Decision to second review"),
        _second_review,
        clocks=(Clock.SECOND_REVIEW,),
        blocked_on=("screening", "pk"),
    ),
    Stage(
        "referral_submitted",
        _("Decision to referral submitted"),
        _first_referral,
        blocked_on=("referral", "pk"),
    ),
    Stage(
        "acknowledged",
        _("Referral submitted to acknowledged"),
        _acknowledged,
        shelter="to_organisation__shelter__organisation_id",
        clocks=ACK_CLOCKS,
        blocked_on=("referral", "pk"),
    ),
    Stage(
        "accepted",
        _("Acknowledged to accepted"),
        _accepted,
        shelter="to_organisation__shelter__organisation_id",
        clocks=DECISION_CLOCKS,
        blocked_on=("referral", "pk"),
    ),
    Stage(
        "admitted",
        _("Accepted to admitted"),
        _admitted,
        shelter="unit__shelter__organisation_id",
        blocked_on=("referral", "referral_id"),
    ),
    Stage(
        "care_plan",
        _("Admitted to care plan"),
        _care_plan,
        shelter="unit__shelter__organisation_id",
        clocks=(Clock.CARE_PLAN,),
        blocked_on=("placement", "pk"),
    ),
    Stage(
        "stay",
        _("Admitted to discharged"),
        _stay,
        shelter="unit__shelter__organisation_id",
        blocked_on=("placement", "pk"),
    ),
    Stage(
        "repatriation",
        _("Repatriation planned to handed over"),
        _repatriation,
        clocks=(Clock.REPATRIATION_HANDOVER,),
    ),
    Stage(
        "follow_up",
        _("Discharged (or last visit) to follow-up"),
        _follow_up,
        shelter="unit__shelter__organisation_id",
        clocks=(Clock.FOLLOW_UP,),
        blocked_on=("placement", "pk"),
    ),
]
STAGE_BY_KEY = {stage.key: stage for stage in STAGES}

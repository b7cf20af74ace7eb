"""The states of a criminal proceeding, of a court hearing and of a compensation claim, and
the moves allowed between them (DESIGN.md §4's shape: one table per workflow)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProsecutionStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Police investigation")
    BEFORE_COURT = "before_court", _("Before the court")
    CONCLUDED = "concluded", _("Judgment given")
    DROPPED = "dropped", _("Closed without judgment")


PROSECUTION_TRANSITIONS = {
    ProsecutionStatus.INVESTIGATION: {ProsecutionStatus.BEFORE_COURT, ProsecutionStatus.DROPPED},
    ProsecutionStatus.BEFORE_COURT: {ProsecutionStatus.CONCLUDED, ProsecutionStatus.DROPPED},
    ProsecutionStatus.CONCLUDED: set(),
    ProsecutionStatus.DROPPED: set(),
}
OPEN_PROSECUTION_STATES = frozenset(
    {ProsecutionStatus.INVESTIGATION, ProsecutionStatus.BEFORE_COURT}
)


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# A postponement keeps a hearing scheduled, at its new date (services.hearing_postpone).
HEARING_TRANSITIONS = {
    HearingStatus.SCHEDULED: {HearingStatus.HELD, HearingStatus.CANCELLED},
    HearingStatus.HELD: set(),
    HearingStatus.CANCELLED: set(),
}


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Claimed, waiting for the decision")
    AWARDED = "awarded", _("Awarded, waiting for payment")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RECEIVED = "received", _("Paid to the person")
    UNPAID = "unpaid", _("Awarded, never paid")


CLAIM_TRANSITIONS = {
    ClaimStatus.FILED: {ClaimStatus.AWARDED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN},
    ClaimStatus.AWARDED: {ClaimStatus.RECEIVED, ClaimStatus.UNPAID},
    ClaimStatus.REJECTED: set(),
    ClaimStatus.WITHDRAWN: set(),
    ClaimStatus.RECEIVED: set(),
    ClaimStatus.UNPAID: set(),
}
OPEN_CLAIM_STATES = frozenset({ClaimStatus.FILED, ClaimStatus.AWARDED})

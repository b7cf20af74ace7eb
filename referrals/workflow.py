"""The states of a referral and of its central review, and the moves allowed (DESIGN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Open states: the sender may still withdraw.
OPEN_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.ACKNOWLEDGED, State.ACCEPTED})

TRANSITIONS = {
    State.DRAFT: {State.SUBMITTED, State.WITHDRAWN},
    State.SUBMITTED: {State.ACKNOWLEDGED, State.WITHDRAWN},
    State.ACKNOWLEDGED: {State.ACCEPTED, State.DECLINED, State.WITHDRAWN},
    State.ACCEPTED: {State.COMPLETED, State.WITHDRAWN},
    State.DECLINED: set(),
    State.COMPLETED: set(),
    State.WITHDRAWN: set(),
}


class ReviewState(models.TextChoices):
    NONE = "", _("Not submitted")
    PENDING = "pending", _("Waiting for review")
    ENDORSED = "endorsed", _("Endorsed")
    QUERIED = "queried", _("Queried: the sender must answer")
    ESCALATED = "escalated", _("Escalated")


# The central review waits for a central reviewer in these states (a query waits for the
# sender's answer); the review queue shows them first.
AWAITING_REVIEW = frozenset({ReviewState.PENDING, ReviewState.ESCALATED})

REVIEW_TRANSITIONS = {
    ReviewState.PENDING: {ReviewState.ENDORSED, ReviewState.QUERIED, ReviewState.ESCALATED},
    ReviewState.QUERIED: {ReviewState.PENDING},
    ReviewState.ESCALATED: {ReviewState.ENDORSED, ReviewState.QUERIED},
    ReviewState.ENDORSED: set(),
}

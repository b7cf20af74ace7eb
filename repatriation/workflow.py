"""The states of a repatriation or reintegration and the moves allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PLANNED = "planned", _("Plan in preparation")
    SENT = "sent", _("Plan sent to the counterpart")
    ASSESSED = "assessed", _("Family assessed")
    SCHEDULED = "scheduled", _("Hand-over scheduled")
    HANDED_OVER = "handed_over", _("Handed over")
    CONFIRMED = "confirmed", _("Confirmed by the counterpart")
    CANCELLED = "cancelled", _("Cancelled")


# Under way: the case cannot close (cases.extensions.register_linked_model). A hand-over still
# waits for the counterpart's confirmation that the person arrived.
OPEN_STATES = frozenset(
    {Status.PLANNED, Status.SENT, Status.ASSESSED, Status.SCHEDULED, Status.HANDED_OVER}
)

TRANSITIONS = {
    Status.PLANNED: {Status.SENT, Status.CANCELLED},
    Status.SENT: {Status.ASSESSED, Status.CANCELLED},
    Status.ASSESSED: {Status.SCHEDULED, Status.CANCELLED},
    # A hand-over may be moved to another day or place (scheduled again).
    Status.SCHEDULED: {Status.SCHEDULED, Status.HANDED_OVER, Status.CANCELLED},
    Status.HANDED_OVER: {Status.CONFIRMED},
    Status.CONFIRMED: set(),
    Status.CANCELLED: set(),
}

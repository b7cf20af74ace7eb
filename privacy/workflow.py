"""The states of a breach and of a data subject's request, and the moves allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Being assessed")
    REPORTED = "reported", pgettext_lazy("breach status", "Reported to the regulator")
    NOT_REPORTABLE = "not_reportable", _("Not reportable: unlikely to harm anyone")
    CLOSED = "closed", _("Closed")


BREACH_TRANSITIONS = {
    BreachStatus.OPEN: {BreachStatus.REPORTED, BreachStatus.NOT_REPORTABLE},
    BreachStatus.REPORTED: {BreachStatus.CLOSED},
    BreachStatus.NOT_REPORTABLE: {BreachStatus.CLOSED},
    BreachStatus.CLOSED: set(),
}


class RequestStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("request status", "Received")
    VERIFIED = "verified", _("Identity checked")
    AWAITING_RELEASE = "awaiting_release", _("Copy prepared, waiting for review")
    ANSWERED = "answered", _("Answered")


# A request is answered by its decision; a granted access or portability request only once the
# officer has reviewed the prepared copy and released it. An identity that cannot be confirmed
# is answered (refused) without a check.
REQUEST_TRANSITIONS = {
    RequestStatus.RECEIVED: {RequestStatus.VERIFIED, RequestStatus.ANSWERED},
    RequestStatus.VERIFIED: {RequestStatus.AWAITING_RELEASE, RequestStatus.ANSWERED},
    RequestStatus.AWAITING_RELEASE: {RequestStatus.ANSWERED},
    RequestStatus.ANSWERED: set(),
}
OPEN_REQUEST_STATES = frozenset(
    {RequestStatus.RECEIVED, RequestStatus.VERIFIED, RequestStatus.AWAITING_RELEASE}
)

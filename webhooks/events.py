"""What another system can be told, in one table: each public event kind, the workflow events
of notifications.matrix that raise it, and for each kind of object the organisations it
concerns and its address in the API.

Payloads are thin: the event's kind and time and the object's API address. The receiver asks
the API for the rest with its own token, so it reads only what its own rights allow.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Screening
from referrals.models import Referral
from shelters.models import Placement
from sla.models import Deadline

KINDS = {
    "referral.submitted": _("A referral was submitted"),
    "referral.accepted": _("A referral was accepted"),
    "referral.declined": _("A referral was declined"),
    "screening.decided": _("An identification was decided"),
    "placement.admitted": _("A person was admitted to a shelter"),
    "placement.moved": _("A resident moved to another section"),
    "placement.discharged": _("A person left a shelter"),
    "deadline.missed": _("A deadline was missed"),
}

# The workflow event (notifications.matrix.EVENTS) → the public kind it is sent as.
WORKFLOW_EVENTS = {
    "referral.submitted": "referral.submitted",
    "referral.accepted": "referral.accepted",
    "referral.declined": "referral.declined",
    "screening.decided": "screening.decided",
    "screening.awaiting_second_review": "screening.decided",  # decided: not a victim
    "placement.admitted": "placement.admitted",
    "placement.admitted_outside_section": "placement.admitted",
    "placement.moved": "placement.moved",
    "placement.moved_outside_section": "placement.moved",
    "placement.discharged": "placement.discharged",
    "deadline.missed": "deadline.missed",
}


@dataclass(frozen=True)
class Subject:
    """What a payload says of its object, and whose endpoints hear of it."""

    organisations: frozenset[int]
    data: dict


def _api(name: str, **kwargs) -> str:
    return settings.NRM_SITE_URL + reverse(name, kwargs=kwargs)


def subject_of(obj) -> Subject:
    """The organisations the object concerns (a referral's sender and receiver, the case's
    owner, the shelter of a stay, the organisation that holds a clock) and the payload's
    `data`: the object's kind, id and API address."""
    if isinstance(obj, Referral):
        orgs = {obj.from_organisation_id, obj.to_organisation_id, obj.case.owner_id}
        url = _api("api:referral-detail", pk=obj.pk)
        return Subject(frozenset(orgs), {"object": "referral", "id": obj.pk, "url": url})
    if isinstance(obj, Screening):
        url = _api("api:screening-detail", pk=obj.pk)
        return Subject(
            frozenset({obj.case.owner_id}), {"object": "screening", "id": obj.pk, "url": url}
        )
    if isinstance(obj, Placement):
        orgs = {obj.unit.shelter.organisation_id, obj.case.owner_id}
        url = _api("api:placement-detail", pk=obj.pk)
        return Subject(frozenset(orgs), {"object": "placement", "id": obj.pk, "url": url})
    if isinstance(obj, Deadline):
        # A clock has no address of its own: the deadline board lists it.
        url = _api("api:deadline_board")
        data = {"object": "deadline", "id": obj.pk, "clock": obj.clock, "url": url}
        return Subject(frozenset({obj.organisation_id}), data)
    raise TypeError(f"no webhook subject for {type(obj).__name__}")

"""What the privacy services share: who is told, and the dates in each recipient's language."""

from django.utils.functional import lazy

from accounts.models import Organisation, Role
from accounts.selectors import central_reviewers, member_users
from core.dates import format_datetime

lazy_format_datetime = lazy(format_datetime, str)


def central_division() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.CENTRAL)


def data_protection_officers():
    return member_users(organisation=central_division(), roles=[Role.DATA_PROTECTION_OFFICER])


def central_head():
    """The head of the central division: its reviewers, until the head has a role of its own
    (notifications.matrix.Audience.CENTRAL_HEAD)."""
    return central_reviewers()

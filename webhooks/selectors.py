"""Reads of webhook endpoints and their deliveries, through who manages them."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.permissions import has_role

from .models import Delivery, Endpoint
from .permissions import may_manage_webhooks

RECENT_DELIVERIES = 100


def endpoints_visible_to(*, user) -> QuerySet[Endpoint]:
    """Every endpoint for a system administrator, the own organisation's for a supervisor or a
    shelter director, none for anyone else."""
    endpoints = Endpoint.objects.select_related("organisation", "created_by")
    if has_role(user, Role.SYSADMIN):
        return endpoints
    if may_manage_webhooks(user):
        return endpoints.filter(organisation_id=user.membership.organisation_id)
    return endpoints.none()


def endpoint_get_visible(*, user, endpoint_id: int) -> Endpoint:
    """The endpoint, or 404 for one the user does not manage."""
    try:
        return endpoints_visible_to(user=user).get(pk=endpoint_id)
    except Endpoint.DoesNotExist:
        raise Http404 from None


def recent_deliveries(*, endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's latest deliveries, newest first, with their message."""
    return endpoint.deliveries.select_related("message").order_by("-message__created_at", "-pk")[
        :RECENT_DELIVERIES
    ]

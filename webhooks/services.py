"""Registering endpoints, recording events for them, and the signed calls of the outbox."""

import datetime as dt
import json
from collections.abc import Iterable

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from accounts.models import Organisation
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ActionForbidden, TransitionNotAllowed
from core.outbox import Outbox
from core.queueing import enqueue

from .addresses import AddressRefused, check_address
from .events import KINDS, WORKFLOW_EVENTS, subject_of
from .models import Delivery, Endpoint, Message
from .permissions import may_manage_webhooks

TIMEOUT_SECONDS = 10
USER_AGENT = "NRM-Webhooks/1"


class DeliveryRefused(Exception):
    """The endpoint answered, but not with a 2xx."""


@transaction.atomic
def endpoint_register(
    *,
    actor,
    organisation: Organisation,
    url: str,
    event_kinds: Iterable[str],
    description: str = "",
) -> Endpoint:
    """Register `url` to be told of `event_kinds` concerning `organisation`. Returns the
    endpoint, whose secret the caller shows once. Side effect: an audit event (without the
    secret)."""
    if not may_manage_webhooks(actor, organisation):
        raise ActionForbidden(_("You do not manage this organisation's webhooks."))
    kinds = sorted(set(event_kinds))
    errors = {}
    if not kinds:
        errors["event_kinds"] = _("Choose at least one event.")
    elif unknown := [kind for kind in kinds if kind not in KINDS]:
        errors["event_kinds"] = _("Unknown events: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    try:
        check_address(url)
    except AddressRefused as error:
        errors["url"] = str(error)
    if errors:
        raise ValidationError(errors)
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        url=url,
        description=description.strip(),
        event_kinds=kinds,
        created_by=actor,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=endpoint,
        changes={"organisation": organisation.code, "url": url, "events": kinds},
    )
    return endpoint


@transaction.atomic
def endpoint_disable(*, endpoint_id: int, actor) -> Endpoint:
    """Stop calling the endpoint. Side effects: its waiting deliveries end as failed; an audit
    event."""
    endpoint = (
        Endpoint.objects.select_for_update().select_related("organisation").get(pk=endpoint_id)
    )
    if not may_manage_webhooks(actor, endpoint.organisation):
        raise ActionForbidden(_("You do not manage this organisation's webhooks."))
    if not endpoint.active:
        raise TransitionNotAllowed(_("This endpoint is already disabled."))
    endpoint.active = False
    endpoint.disabled_by = actor
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["active", "disabled_by", "disabled_at", "updated_at"])
    endpoint.deliveries.filter(state=Delivery.State.PENDING).update(
        state=Delivery.State.FAILED, last_error="endpoint disabled"
    )
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=endpoint, changes={"active": False}
    )
    return endpoint


@transaction.atomic
def delivery_send_again(*, delivery_id: int, actor) -> Delivery:
    """Send a delivery again (the same message id, body and signature scheme, so the receiver
    can tell it is the same event). Side effects: the delivery waits again with a fresh count
    of tries; a worker is asked to send it after commit; an audit event."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    endpoint = Endpoint.objects.select_related("organisation").get(pk=delivery.endpoint_id)
    if not may_manage_webhooks(actor, endpoint.organisation):
        raise ActionForbidden(_("You do not manage this organisation's webhooks."))
    if not endpoint.active:
        raise TransitionNotAllowed(_("This endpoint is disabled."))
    if delivery.state in (Delivery.State.PENDING, Delivery.State.SENDING):
        raise TransitionNotAllowed(_("This delivery is already waiting to be sent."))
    delivery.state = Delivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "last_error"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=endpoint,
        changes={"send_again": delivery.message.webhook_id},
    )
    transaction.on_commit(request_delivery)
    return delivery


def webhook_event_record(sender, *, event: str, subject=None, **kwargs) -> Message | None:
    """Receiver of notifications.matrix.workflow_event: when the event is one of the public
    kinds, write its message and one delivery for each active endpoint that chose the kind and
    belongs to an organisation the object concerns (or to the central division, which sees
    every case). Runs in the announcing service's transaction: a rolled-back change calls
    nobody. After commit a worker is asked to send."""
    kind = WORKFLOW_EVENTS.get(event)
    if kind is None or subject is None:
        return None
    about = subject_of(subject)
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(active=True).select_related("organisation")
        if kind in endpoint.event_kinds
        and (
            endpoint.organisation_id in about.organisations
            or endpoint.organisation.kind == Organisation.Kind.CENTRAL
        )
    ]
    if not endpoints:
        return None
    body = {"type": kind, "timestamp": timezone.now().isoformat(), "data": about.data}
    message = Message.objects.create(kind=kind, body=json.dumps(body, separators=(",", ":")))
    Delivery.objects.bulk_create(
        Delivery(message=message, endpoint=endpoint) for endpoint in endpoints
    )
    transaction.on_commit(request_delivery)
    return message


def request_delivery() -> None:
    """Ask a worker to call the endpoints now (if the broker is down, beat's flush does)."""
    from .tasks import deliver_webhooks

    enqueue(deliver_webhooks)


def _send(delivery: Delivery) -> None:
    """One signed POST (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature);
    any 2xx answer is an acceptance. Redirects are not followed."""
    endpoint, message = delivery.endpoint, delivery.message
    if not endpoint.active:
        raise DeliveryRefused("endpoint disabled")
    check_address(endpoint.url)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signature = Webhook(endpoint.secret).sign(message.webhook_id, now, message.body)
    response = requests.post(
        endpoint.url,
        data=message.body.encode(),
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": message.webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        },
        timeout=TIMEOUT_SECONDS,
        allow_redirects=False,
    )
    if not 200 <= response.status_code < 300:
        raise DeliveryRefused(f"HTTP {response.status_code}")


WEBHOOK_OUTBOX = Outbox(
    Delivery,
    send=_send,
    related=("endpoint", "message"),
    expected=(OSError, DeliveryRefused, AddressRefused),
)


def webhooks_deliver(*, now: dt.datetime | None = None) -> int:
    """Call every endpoint whose delivery is due; returns how many were accepted (core.outbox:
    claimed once, retried after 1, 2, 4 ... minutes, put back when a worker died mid-send)."""
    return WEBHOOK_OUTBOX.deliver(now=now)

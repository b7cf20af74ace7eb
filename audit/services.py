"""Writing the audit log."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import request_ip
from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address as the web server saw it (the current request's when none is
    given).

    Behind the reverse proxies named in settings.TRUSTED_PROXIES, REMOTE_ADDR already holds
    the client's address (core.network.TrustedProxyMiddleware); an X-Forwarded-For from any
    other peer is never believed, as anyone could forge it.
    """
    return request.META.get("REMOTE_ADDR") if request is not None else request_ip.get()


def audit_record(
    *,
    action: str,
    actor=None,
    username: str = "",
    obj: models.Model | None = None,
    changes: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction, so that a rolled-back
    change leaves no trace claiming it happened)."""
    event = _event(action, actor, username, obj, changes, client_ip(request))
    event.save()
    return event


def audit_record_many(
    *, action: str, actor, objects: Iterable[models.Model], request=None
) -> list[AuditEvent]:
    """audit_record for many objects at once (a mass intake's persons, cases and screenings):
    one insert, in the caller's transaction."""
    ip_address = client_ip(request)
    return AuditEvent.objects.bulk_create(
        [_event(action, actor, "", obj, None, ip_address) for obj in objects]
    )


def _event(action, actor, username, obj, changes, ip_address) -> AuditEvent:
    if actor is not None and not username:
        username = actor.get_username()
    return AuditEvent(
        actor=actor,
        username=username[:150],
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        ip_address=ip_address,
    )

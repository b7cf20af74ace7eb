"""Reads of the audit log."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEvent


def audit_search(
    *,
    username: str = "",
    action: str = "",
    object_type: ContentType | None = None,
    object_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log filtered, newest first (for the central division's search page)."""
    events = AuditEvent.objects.select_related("actor", "object_type")
    if username:
        events = events.filter(username__iexact=username.strip())
    if action:
        events = events.filter(action=action)
    if object_type is not None:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id.strip())
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def views_of(*objects) -> QuerySet[AuditEvent]:
    """Who looked at these records (a person and their cases), newest first."""
    condition = Q(pk__in=[])
    for obj in objects:
        condition |= Q(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return AuditEvent.objects.filter(condition, action=AuditEvent.Action.VIEW).select_related(
        "actor", "object_type"
    )

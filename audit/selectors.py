"""Reads of the audit log."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEvent


def audit_log() -> QuerySet[AuditEvent]:
    """The whole log, newest first, with each entry's user (the central division's page reads
    it; the page checks the role)."""
    return AuditEvent.objects.select_related("actor")


def views_of(*objects) -> QuerySet[AuditEvent]:
    """Who looked at these records (a person and their cases), newest first."""
    condition = Q(pk__in=[])
    for obj in objects:
        condition |= Q(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return AuditEvent.objects.filter(condition, action=AuditEvent.Action.VIEW).select_related(
        "actor", "object_type"
    )

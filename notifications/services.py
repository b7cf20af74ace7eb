"""Writes to the in-app inbox."""

from django.db import transaction
from django.utils import timezone

from .models import Notification


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications as read, or all of them when no id is given.

    Returns how many changed. Another user's notification is left untouched (and not found).
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())

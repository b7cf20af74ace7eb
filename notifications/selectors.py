"""Reads of a user's inbox."""

from django.db.models import QuerySet

from .models import Notification


def notification_list_for(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another's inbox."""
    return Notification.objects.filter(recipient=user)


def unread_count_for(*, user) -> int:
    return notification_list_for(user=user).filter(read_at__isnull=True).count()

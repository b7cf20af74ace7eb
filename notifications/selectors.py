"""Reads of a user's inbox."""

from django.db.models import QuerySet

from core.cache import GenerationCache

from .models import Notification

# The header's badge is on every page: counted once, then kept until a notification for the
# user is written or read (services forget it).
UNREAD_COUNTS = GenerationCache("unread", timeout=5 * 60)


def notification_list_for(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another's inbox."""
    return Notification.objects.filter(recipient=user)


def unread_count_for(*, user) -> int:
    """How many of the user's notifications are unread, from the cache when it has them."""
    return UNREAD_COUNTS.get_or_set(
        user.pk, lambda: notification_list_for(user=user).filter(read_at__isnull=True).count()
    )

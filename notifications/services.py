"""Writes to the in-app inbox."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation

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


def notify(*, recipients: Iterable, message, link: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox, written in the recipient's own language.

    `message` is a lazy translatable text (gettext_lazy, or format_lazy over one), rendered
    once per recipient under their language. Called inside the service's transaction, so a
    rolled-back change notifies nobody.
    """
    rows = []
    for user in {user.pk: user for user in recipients}.values():
        with translation.override(user.language):
            rows.append(Notification(recipient=user, message=str(message)[:300], link=link))
    return Notification.objects.bulk_create(rows)

"""Writes to the inbox and the outbox, and the sending of what waits in the outbox."""

import datetime as dt
import smtplib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.outbox import Outbox
from core.queueing import enqueue

from .models import Delivery, Notification, Preference
from .selectors import UNREAD_COUNTS


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications as read, or all of them when no id is given.

    Returns how many changed. Another user's notification is left untouched (and not found).
    Side effect: the user's cached unread count is forgotten.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    if changed:
        UNREAD_COUNTS.forget(user.pk)
    return changed


class Message(NamedTuple):
    """One text to several people: `topic` lets each turn its e-mails off, `email` says
    whether the text is worth an e-mail at all (the inbox always gets it)."""

    recipients: Iterable
    text: object  # a lazy translatable text, rendered in each recipient's language
    link: str = ""
    topic: str = ""
    email: bool = True


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """Write the messages to the inboxes, each in its recipient's own language, and an e-mail
    to the outbox for each recipient who wants e-mail on the message's topic.

    Called inside the caller's transaction, so a rolled-back change notifies nobody; after
    commit, a worker is asked to send the e-mails (if the broker is down, the periodic flush
    sends them later). Three queries, however many messages. The recipients' cached unread
    counts are forgotten.
    """
    rows, emailed = [], set()
    for message in messages:
        for user in {user.pk: user for user in message.recipients}.values():
            with translation.override(user.language):
                rows.append(
                    Notification(
                        recipient=user,
                        message=str(message.text)[:300],
                        link=message.link,
                        topic=message.topic,
                    )
                )
            if message.email:
                emailed.add(id(rows[-1]))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    UNREAD_COUNTS.forget(*{row.recipient_id for row in created})
    muted = {
        preference.user_id: preference
        for preference in Preference.objects.filter(
            user_id__in={row.recipient_id for row in created}
        )
    }
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=row)
        for row in created
        if id(row) in emailed
        and row.recipient.email
        and (row.recipient_id not in muted or muted[row.recipient_id].wants_email(row.topic))
    )
    if deliveries:
        transaction.on_commit(request_delivery)
    return created


def request_delivery() -> None:
    """Ask a worker to send the outbox now. A broker that is down must neither fail nor slow
    the request that already committed its change: the outbox keeps the e-mail for the
    periodic flush (core.queueing)."""
    from .tasks import deliver_outbox

    enqueue(deliver_outbox)


def _email(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(user.language):
        context = {
            "notification": notification,
            "user": user,
            "url": f"{settings.NRM_SITE_URL}{notification.link}" if notification.link else "",
        }
        subject = f"[NRM] {notification.message}"[:200]
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def _send(delivery: Delivery) -> None:
    _email(delivery.notification).send()


EMAIL_OUTBOX = Outbox(
    Delivery,
    send=_send,
    related=("notification__recipient",),
    expected=(smtplib.SMTPException, OSError),
)
MAX_ATTEMPTS = EMAIL_OUTBOX.max_attempts


def outbox_deliver(*, now: dt.datetime | None = None) -> int:
    """Send every e-mail waiting in the outbox; returns how many were sent (core.outbox:
    claimed once, retried with a growing pause, put back when a worker died mid-send)."""
    return EMAIL_OUTBOX.deliver(now=now)


@transaction.atomic
def preference_set(*, user, email: bool, email_off_topics: Iterable[str] = ()) -> Preference:
    """Whether the user gets e-mails at all, and the topics they want in the inbox only."""
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "email_off_topics": sorted(set(email_off_topics))}
    )
    return preference

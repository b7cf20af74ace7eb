"""Writes to the inbox and the outbox, and the sending of what waits in the outbox."""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.queueing import enqueue

from .models import Delivery, Notification, Preference
from .selectors import UNREAD_COUNTS

logger = logging.getLogger(__name__)

CLAIM_BATCH = 50
MAX_ATTEMPTS = 8
# A row claimed this long ago and still "sending" belongs to a worker that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)


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


def _claim(now: dt.datetime) -> list[int]:
    """Take a batch of waiting e-mails for this worker. SKIP LOCKED and the committed state
    change mean two workers never take the same row."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


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


def outbox_deliver(*, now: dt.datetime | None = None) -> int:
    """Send every e-mail waiting in the outbox; returns how many were sent.

    Each row is marked sent as soon as the mail server has accepted it. A failure is retried
    with a growing pause (1, 2, 4 ... minutes, at most an hour), up to MAX_ATTEMPTS tries.
    Rows left "sending" by a worker that died are put back (the one case where an e-mail may
    go out twice: the server accepted it, the worker died before recording it).
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(state=Delivery.State.FAILED)
    stale.update(state=Delivery.State.PENDING)
    sent = 0
    while ids := _claim(now):
        for delivery in Delivery.objects.filter(pk__in=ids).select_related(
            "notification__recipient"
        ):
            try:
                _email(delivery.notification).send()
            except Exception as exc:  # any failure: this row waits for its next try
                if not isinstance(exc, smtplib.SMTPException | OSError):
                    logger.exception("outbox: delivery %s failed unexpectedly", delivery.pk)
                delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.state = Delivery.State.FAILED
                else:
                    delivery.state = Delivery.State.PENDING
                    pause = dt.timedelta(minutes=2 ** (delivery.attempts - 1))
                    delivery.next_attempt_at = timezone.now() + min(pause, MAX_BACKOFF)
                logger.warning("outbox: delivery %s failed: %s", delivery.pk, exc)
            else:
                delivery.state = Delivery.State.SENT
                delivery.sent_at = timezone.now()
                sent += 1
            delivery.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    return sent


@transaction.atomic
def preference_set(*, user, email: bool, email_off_topics: Iterable[str] = ()) -> Preference:
    """Whether the user gets e-mails at all, and the topics they want in the inbox only."""
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "email_off_topics": sorted(set(email_off_topics))}
    )
    return preference

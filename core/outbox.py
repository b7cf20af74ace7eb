"""The transactional outbox: rows written in the transaction of the change that caused them,
sent afterwards by a worker, each at most once at a time, retried with a growing pause.

`OutboxRow` holds the delivery state of one row (an e-mail in `notifications`, a webhook call
in `webhooks`); `Outbox.deliver` claims waiting rows with SKIP LOCKED, sends each, and records
the outcome. A Redis or worker outage only delays a row: the periodic flush finds it pending.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CLAIM_BATCH = 50
MAX_ATTEMPTS = 8
# A row claimed this long ago and still "sending" belongs to a worker that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)


class OutboxRow(models.Model):
    """One thing to send, and how its sending went."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Outbox:
    """How one kind of row is sent: `send(row)` returns normally once the other side has
    accepted it and raises otherwise; `expected` are the failures worth only a warning."""

    model: type[OutboxRow]
    send: Callable[[OutboxRow], None]
    related: tuple[str, ...] = ()
    expected: tuple[type[Exception], ...] = (OSError,)
    max_attempts: int = MAX_ATTEMPTS

    def _claim(self, now: dt.datetime) -> list[int]:
        """Take a batch of waiting rows for this worker. SKIP LOCKED and the committed state
        change mean two workers never take the same row."""
        State = self.model.State
        with transaction.atomic():
            ids = list(
                self.model.objects.select_for_update(skip_locked=True)
                .filter(state=State.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at")
                .values_list("pk", flat=True)[:CLAIM_BATCH]
            )
            self.model.objects.filter(pk__in=ids).update(
                state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
        return ids

    def deliver(self, *, now: dt.datetime | None = None) -> int:
        """Send every row whose time has come; returns how many were sent.

        Each row is marked sent as soon as the other side has accepted it. A failure is retried
        with a growing pause (1, 2, 4 ... minutes, at most an hour), up to `max_attempts`
        tries. Rows left "sending" by a worker that died are put back (the one case where a row
        may go out twice: the other side accepted it, the worker died before recording it).
        """
        now = now or timezone.now()
        State = self.model.State
        stale = self.model.objects.filter(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        stale.filter(attempts__gte=self.max_attempts).update(state=State.FAILED)
        stale.update(state=State.PENDING)
        sent = 0
        while ids := self._claim(now):
            for row in self.model.objects.filter(pk__in=ids).select_related(*self.related):
                try:
                    self.send(row)
                except Exception as exc:  # any failure: this row waits for its next try
                    if not isinstance(exc, self.expected):
                        logger.exception("outbox: %s %s failed unexpectedly", row._meta, row.pk)
                    row.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    if row.attempts >= self.max_attempts:
                        row.state = State.FAILED
                    else:
                        row.state = State.PENDING
                        pause = dt.timedelta(minutes=2 ** (row.attempts - 1))
                        row.next_attempt_at = timezone.now() + min(pause, MAX_BACKOFF)
                    logger.warning("outbox: %s %s failed: %s", row._meta, row.pk, exc)
                else:
                    row.state = State.SENT
                    row.sent_at = timezone.now()
                    sent += 1
                row.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
        return sent

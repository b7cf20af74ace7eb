"""The one row of the runtime's own state: when the periodic chain last went the whole way."""

from django.db import models


class Heartbeat(models.Model):
    """The last time a periodic job went the whole way: beat queued it, the broker carried it and
    a worker ran it (`core.tasks.record_heartbeat`). /readyz and the metrics read its age: an old
    one means reminders, escalations and e-mails have stopped, whichever link is broken."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"

"""The runtime's own periodic job: the worker heartbeat."""

import socket

from celery import shared_task
from django.utils import timezone

from core.models import Heartbeat

WORKER = "worker"


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Beat queues this every 30 seconds; a worker that runs it proves the chain works."""
    Heartbeat.objects.update_or_create(
        name=WORKER, defaults={"beat_at": timezone.now(), "worker": socket.gethostname()[:200]}
    )

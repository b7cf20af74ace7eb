"""Thin Celery tasks for delivery."""

from celery import shared_task
from django.db import DatabaseError

from .services import outbox_deliver


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def deliver_outbox() -> int:
    """Send the e-mails waiting in the outbox (queued after a commit, and every minute by
    beat so that nothing queued while Redis or the workers were down is lost)."""
    return outbox_deliver()

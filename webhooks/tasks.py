"""Thin Celery tasks for webhook delivery."""

from celery import shared_task
from django.db import DatabaseError

from .services import webhooks_deliver


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def deliver_webhooks() -> int:
    """Call the endpoints whose deliveries are due (queued after a commit, and every minute by
    beat so that nothing queued while Redis or the workers were down is lost)."""
    return webhooks_deliver()

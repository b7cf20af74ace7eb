"""Thin Celery tasks for deadlines."""

from celery import shared_task

from .sweep import sweep


@shared_task(acks_late=True)
def sweep_deadlines() -> dict:
    """Beat runs this every minute: remind, mark breaches, escalate."""
    return dict(sweep())

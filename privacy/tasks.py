"""Thin Celery tasks: call a service."""

from celery import shared_task

from .services import retention_run


@shared_task
def run_retention() -> int:
    """Erase what is past its retention time (privacy.services.retention); returns how many
    records (case and kind) were erased."""
    return retention_run(dry_run=False).erasures.count()

"""Thin Celery tasks: load by id, call a service."""

from celery import shared_task

from .intake import intake_batches_purge, intake_import
from .services import access_grants_expire


@shared_task
def intake_import_task(batch_id: int) -> str:
    """Import a confirmed intake file (cases.intake.intake_import); returns the batch's status."""
    return intake_import(batch_id=batch_id).status


@shared_task
def purge_intake_batches() -> int:
    """Remove the personal data of intake files that are no longer needed."""
    return intake_batches_purge()


@shared_task
def expire_access_grants() -> int:
    """Revoke the access grants past their expiry."""
    return access_grants_expire()

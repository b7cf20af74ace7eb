"""Thin Celery tasks: load by id, call a service."""

from celery import shared_task

from .services import export_job_prepare, export_jobs_purge


@shared_task
def prepare_export(job_id: int) -> str:
    """Write the file of an export job (services.export_job_prepare); returns its status."""
    job = export_job_prepare(job_id=job_id)
    return job.status if job is not None else "gone"


@shared_task
def purge_export_files() -> int:
    """Delete the prepared export files past their time, with their jobs."""
    return export_jobs_purge()

"""Reads of prepared export files: each is its requester's alone."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import KEPT_FOR, ExportJob

# The jobs asked in a session (newest first, at most REMEMBERED): a list page shows them, and
# runs no query for the many who asked for none.
SESSION_KEY = "export_jobs"
REMEMBERED = 5


def export_job_get_for_requester(*, user, job_id: int) -> ExportJob:
    """A job of the user's own, still kept (KEPT_FOR); 404 for anyone else's, as for a record
    one may not see."""
    return get_object_or_404(
        ExportJob,
        pk=job_id,
        requested_by=user,
        created_at__gte=timezone.now() - KEPT_FOR,
    )


def export_jobs_of(*, user) -> QuerySet[ExportJob]:
    """The user's own jobs still kept (KEPT_FOR), newest first."""
    return ExportJob.objects.filter(
        requested_by=user, created_at__gte=timezone.now() - KEPT_FOR
    ).order_by("-created_at", "-pk")


def export_jobs_asked_in_session(request, *, path: str) -> list[ExportJob]:
    """The jobs of the export at `path` that the user asked in this session, still kept."""
    ids = request.session.get(SESSION_KEY, [])
    if not ids:
        return []
    return list(
        ExportJob.objects.filter(
            pk__in=ids,
            path=path,
            requested_by=request.user,
            created_at__gte=timezone.now() - KEPT_FOR,
        )
    )

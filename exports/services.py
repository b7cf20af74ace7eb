"""Export files prepared in the background: asked, written by a worker, downloaded, purged.

The Excel file of a national list (200,000 cases) takes about a minute to write, longer than a
request may last (docs/PERFORMANCE.md). Above settings.NRM_EXPORT_IMMEDIATE_ROWS rows the user
asks for it (views.list_export_answer), a worker writes it, the user is told in the inbox and
downloads it from its page until KEPT_FOR after asking. A list's CSV streams at once on the
pages. A report's file (the annual figures, the anonymised statistics) is always prepared in
the background, as is every file asked through the API (export_job_start), in either format.

The worker does not rebuild the list or report itself: it asks the export view again, as the
user who asked and with the same query (`_ask_again`), and the view hands its export
(audit.exports.ListExport) to the job's `_Preparation`. The file therefore holds exactly what an
immediate export would: the view's own columns and filters, within the user's visibility and
role at the time it is written (a user who lost the export role gets no file).
"""

import datetime as dt
import logging
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.exports import ListExport, export_changes
from audit.models import AuditEvent
from audit.services import audit_record
from core.exports import WRITERS, export_filename
from core.queueing import enqueue
from notifications.matrix import Audience, announce

from . import files
from .models import KEPT_FOR, ExportJob

logger = logging.getLogger(__name__)

Status = ExportJob.Status
# Rows between two progress updates of a job (one UPDATE each, seen by its page at once).
PROGRESS_EVERY = 2000
# The same file asked again while a worker shows progress on it within this time is that job.
ALIVE = dt.timedelta(minutes=5)
# The attribute of the request a worker replays, which list_export_answer hands the rows to.
PREPARATION = "export_preparation"


def prepared_in_background(export: ListExport) -> bool:
    """Whether an export asked on a page is prepared by a worker rather than made at once: a
    report's file, or a list's Excel file of more than settings.NRM_EXPORT_IMMEDIATE_ROWS rows
    (a list's CSV always streams)."""
    return export.report or list_prepared_in_background(export.format, export.count)


def list_prepared_in_background(format: str, rows: int) -> bool:
    """Whether a list's export of `rows` rows in `format` is prepared by a worker."""
    return format == "xlsx" and rows > settings.NRM_EXPORT_IMMEDIATE_ROWS


@transaction.atomic
def export_job_request(
    *, actor: User, export: ListExport, path: str, query: str, back: str = ""
) -> ExportJob:
    """Ask a worker for the file of a list export too large for the request (`path` and
    `query`: the export view's, which the worker asks again; `back`: the list page). The same
    file asked again while it is being prepared is the same job: a double click writes it once.

    Side effects: an ExportJob (preparing) and an AuditEvent; after commit the task is queued,
    and when the queue is not reachable the job fails at once with a message that says so.
    """
    running = ExportJob.objects.filter(
        requested_by=actor,
        path=path,
        query=query,
        status=Status.PREPARING,
        updated_at__gte=timezone.now() - ALIVE,
    ).first()
    if running is not None:
        return running
    job = ExportJob.objects.create(
        requested_by=actor,
        list_name=export.name,
        report=export.report,
        filters=export.filters,
        format=export.format,
        path=path,
        query=query,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        back=back,
        total=export.count,
        file_name=files.new_file_name(export.format),
        download_name=export_filename(export.filename, export.format),
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=job, changes=export.changes)
    transaction.on_commit(lambda: _queue(job))
    return job


def _queue(job: ExportJob) -> None:
    from .tasks import prepare_export  # the task module imports this one

    if enqueue(prepare_export, job.pk):
        return
    # Nothing would ever take the job: the user is told now, on its page, in their language.
    if job.report:
        message = _(
            "The file cannot be prepared now: the task queue is not reachable. Try again in a "
            "few minutes."
        )
    else:
        message = _(
            "The file cannot be prepared now: the task queue is not reachable. Try again in "
            "a few minutes, or download the list as CSV, which does not need the queue."
        )
    _fail(job.pk, message, notify=False)


class _Preparation:
    """What list_export_answer gives the export of a replayed request to: the job's file is
    written from it, its progress recorded every PROGRESS_EVERY rows."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.rows: int | None = None

    def _progress(self, **fields) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(updated_at=timezone.now(), **fields)

    def _counted(self, rows):
        for row in rows:
            yield row
            self.rows += 1
            if self.rows % PROGRESS_EVERY == 0:
                self._progress(processed=self.rows)

    def __call__(self, export: ListExport) -> HttpResponse:
        self._progress(total=export.count, processed=0)
        self.rows = 0
        write = WRITERS[self.job.format]
        with files.writing(self.job.file_name) as file:
            write(file, [str(header) for header in export.headers], self._counted(export.rows))
        return HttpResponse(status=204)


def _ask(path: str, query: str, user: User, preparation) -> HttpResponse:
    """The export view's answer to a GET of `path?query` by `user`, its export handed to
    `preparation` (list_export_answer) instead of being made into a file."""
    match = resolve(path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    setattr(request, PREPARATION, preparation)
    return match.func(request, *match.args, **match.kwargs)


def _ask_again(job: ExportJob, preparation: _Preparation) -> HttpResponse:
    """The export view's answer to the job's request, asked again as the job's user."""
    return _ask(job.path, job.query, job.requested_by, preparation)


def export_job_start(*, actor: User, path: str, query: str) -> ExportJob:
    """Ask a worker for the file of the list or report export at `path` with `query` (its
    `format` included: the API's export, always prepared in the background, whatever its size
    and format). The export view checks the user's right to export and the filters, as for a
    file asked on its page: PermissionDenied when the user may not export it, ValidationError
    with the view's reason when the filters, the period or the format are not valid.

    Side effects: those of export_job_request."""
    asked: list[ListExport] = []

    def keep(export: ListExport) -> HttpResponse:
        asked.append(export)
        return HttpResponse(status=204)

    response = _ask(path, query, actor, keep)
    if not asked:
        reason = response.content.decode() if response.status_code == 400 else ""
        raise ValidationError(reason or _("This list cannot be exported."))
    return export_job_request(actor=actor, export=asked[0], path=path, query=query)


def export_job_prepare(*, job_id: int) -> ExportJob | None:
    """Write the file of a job being prepared (for the worker: tasks.prepare_export).

    Side effects: the file (files.py), the job ready, or failed with the reason in its user's
    language, and its user told either way. Returns None when the job is gone (purged), and the
    job untouched when it is no longer being prepared (a task delivered twice).
    """
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != Status.PREPARING:
        return job
    preparation = _Preparation(job)
    with translation.override(job.language):
        try:
            if not job.requested_by.is_active:
                raise PermissionDenied
            response = _ask_again(job, preparation)
        except (PermissionDenied, Http404):
            return _fail(job.pk, _("You may no longer export this list."))
        except Exception:
            logger.exception("export job %s: the file could not be written", job.pk)
            return _fail(job.pk, _("The file could not be prepared. Ask for it again later."))
        if preparation.rows is None:
            # The view answered without writing: its text says why (filters no longer valid).
            reason = response.content.decode() if response.status_code == 400 else ""
            return _fail(
                job.pk, reason or _("The file could not be prepared. Ask for it again later.")
            )
        return _ready(job, rows=preparation.rows)


@transaction.atomic
def _ready(job: ExportJob, *, rows: int) -> ExportJob | None:
    done = ExportJob.objects.filter(pk=job.pk, status=Status.PREPARING).update(
        status=Status.READY,
        total=rows,
        processed=rows,
        size=files.export_path(job.file_name).stat().st_size,
        finished_at=timezone.now(),
    )
    if not done:  # purged while it was written
        files.remove(job.file_name)
        return None
    announce(
        "export.ready",
        to={Audience.REQUESTER: [job.requested_by]},
        link=job.get_absolute_url(),
        rows=f"{rows:,}",
        hours=int(KEPT_FOR.total_seconds() // 3600),
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def _fail(job_id: int, message: str, *, notify: bool = True) -> ExportJob | None:
    job = (
        ExportJob.objects.select_for_update()
        .select_related("requested_by")
        .filter(pk=job_id, status=Status.PREPARING)
        .first()
    )
    if job is None:
        return None
    job.status = Status.FAILED
    job.failure_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure_message", "finished_at", "updated_at"])
    files.remove(job.file_name)
    if notify:
        announce(
            "export.failed",
            to={Audience.REQUESTER: [job.requested_by]},
            link=job.get_absolute_url(),
        )
    return job


def export_job_download(*, job: ExportJob, actor: User, request=None) -> BinaryIO:
    """Open a ready job's file for the user who asked for it, after one audit event of the
    export, as for a file made at once: the list and its filters or the report and its period,
    the format and the number of rows (and which prepared file). FileNotFoundError when the
    file is gone."""
    file = files.export_path(job.file_name).open("rb")
    changes = export_changes(
        name=job.list_name,
        report=job.report,
        filters=job.filters,
        format=job.format,
        rows=job.total,
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=actor,
        request=request,
        changes={**changes, "prepared_file": job.pk},
    )
    return file


def export_jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the jobs asked more than KEPT_FOR ago, with their files, and every file of the
    folder written before then (a partial file of a worker killed midway, a file whose job is
    gone). Returns how many jobs were deleted."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    names = list(old.values_list("file_name", flat=True))
    deleted, _per_model = old.delete()
    for name in names:
        files.remove(name)
    for path in files.files_written_before(cutoff):
        path.unlink(missing_ok=True)
    return deleted
